import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import type { Agent } from "../support/http.js";
import { seedTitle, viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

function toggle(agent: Agent, token: string, titleId: string, inList: "0" | "1", hx = false) {
  const req = agent.post(`/my-list/${titleId}`).type("form");
  if (hx) req.set("HX-Request", "true").set("HX-Target", `mylist-${titleId}`);
  return req.send({ _csrf: token, inList, next: "/browse" });
}

function rate(agent: Agent, token: string, titleId: string, value: string) {
  return agent.post(`/ratings/${titleId}`).set("HX-Request", "true").set("HX-Target", `thumbs-${titleId}`).type("form").send({ _csrf: token, value });
}

describe("My List", () => {
  it("adds with a plain form post, shows the title on /my-list and in the My List row", async () => {
    const film = await seedTitle(ctx.deps, { title: "Listed Film" });
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const res = await toggle(agent, token, film.id, "1");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/browse");
    expect(await ctx.deps.models.ListEntry.countDocuments({ profileId, titleId: film.id })).toBe(1);
    const page = await agent.get("/my-list");
    expect(page.text).toContain("Listed Film");
    const browse = (await agent.get("/browse")).text;
    const row = /<section[^>]*id="row-my-list"[\s\S]*?<\/section>/.exec(browse)?.[0] ?? "";
    expect(row).toContain("Listed Film");
  });

  it("swaps the button in place for htmx and the swapped button removes again", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const added = await toggle(agent, token, film.id, "1", true);
    expect(added.status).toBe(200);
    expect(added.text).not.toContain("<html");
    expect(added.text).toContain(`id="mylist-${film.id}"`);
    expect(added.text).toContain('aria-pressed="true"');
    expect(added.text).toContain('name="inList" value="0"');
    expect(added.headers.vary).toContain("HX-Target");
    const removed = await toggle(agent, token, film.id, "0", true);
    expect(removed.text).toContain('aria-pressed="false"');
    expect(await ctx.deps.models.ListEntry.countDocuments({ profileId })).toBe(0);
  });

  it("keeps one entry when a double click sends two adds at once", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const results = await Promise.all([
      toggle(agent, token, film.id, "1", true),
      toggle(agent, token, film.id, "1", true),
      toggle(agent, token, film.id, "1", true),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await ctx.deps.models.ListEntry.countDocuments({ profileId, titleId: film.id })).toBe(1);
  });

  it("keeps every profile's list to itself", async () => {
    const film = await seedTitle(ctx.deps, { title: "Private Pick" });
    const owner = await viewer(ctx.app, ctx.deps);
    await toggle(owner.agent, owner.token, film.id, "1");
    const other = await viewer(ctx.app, ctx.deps);
    expect((await other.agent.get("/my-list")).text).not.toContain("Private Pick");
    await toggle(other.agent, other.token, film.id, "0");
    expect(await ctx.deps.models.ListEntry.countDocuments({ profileId: owner.profileId, titleId: film.id })).toBe(1);
  });

  it("answers 404 for titles that do not exist or are drafts", async () => {
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const missing = await toggle(agent, token, "0123456789abcdef01234567", "1");
    expect(missing.status).toBe(404);
    const draft = await seedTitle(ctx.deps);
    await ctx.deps.models.Title.updateOne({ _id: draft.id }, { $set: { status: "draft" } });
    const { invalidateCatalogCache } = await import("../../src/services/catalog/titles.js");
    await invalidateCatalogCache(ctx.deps);
    expect((await toggle(agent, token, draft.id, "1")).status).toBe(404);
    expect((await agent.post("/my-list/not-an-id").type("form").send({ _csrf: token, inList: "1" })).status).toBe(404);
    expect(await ctx.deps.models.ListEntry.countDocuments({ profileId })).toBe(0);
  });
});

describe("thumbs", () => {
  it("moves between none, up, love and down, and pressing the lit thumb clears it", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const value = async () => (await ctx.deps.models.Rating.findOne({ profileId, titleId: film.id }).lean())?.value ?? 0;
    const up = await rate(agent, token, film.id, "1");
    expect(up.status).toBe(200);
    expect(up.text).toContain(`id="thumbs-${film.id}"`);
    expect(up.text).toMatch(/aria-pressed="true" title="I like this"/);
    expect(await value()).toBe(1);
    await rate(agent, token, film.id, "2");
    expect(await value()).toBe(2);
    await rate(agent, token, film.id, "-1");
    expect(await value()).toBe(-1);
    await rate(agent, token, film.id, "-1");
    expect(await value()).toBe(-1);
    expect(await ctx.deps.models.Rating.countDocuments({ profileId, titleId: film.id })).toBe(1);
    const cleared = await rate(agent, token, film.id, "0");
    expect(cleared.text).not.toContain('aria-pressed="true"');
    expect(await value()).toBe(0);
  });

  it("rejects values outside down, up and love", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    expect((await rate(agent, token, film.id, "5")).status).toBe(422);
  });

  it("works as a plain form post without JavaScript", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const res = await agent
      .post(`/ratings/${film.id}`)
      .type("form")
      .send({ _csrf: token, value: "2", next: `/title/${film.slug}` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/title/${film.slug}`);
    expect((await ctx.deps.models.Rating.findOne({ profileId }).lean())?.value).toBe(2);
  });
});

describe("Because you watched", () => {
  it("recommends unseen titles sharing genres with a loved one, without thumbed-down titles", async () => {
    const loved = await seedTitle(ctx.deps, { title: "Seed Western", genres: ["western"] });
    const similar = await seedTitle(ctx.deps, { title: "Similar Western", genres: ["western"] });
    const seen = await seedTitle(ctx.deps, { title: "Seen Western", genres: ["western"] });
    const disliked = await seedTitle(ctx.deps, { title: "Disliked Western", genres: ["western"] });
    await seedTitle(ctx.deps, { title: "Another Western", genres: ["western"] });
    await seedTitle(ctx.deps, { title: "Third Western", genres: ["western", "drama"] });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await rate(agent, token, loved.id, "2");
    await rate(agent, token, disliked.id, "-1");
    const { postProgress } = await import("../support/watching.js");
    await postProgress(agent, token, { slug: seen.slug, position: 10, duration: 100, ts: 1 });
    const html = (await agent.get("/browse")).text;
    const row = new RegExp(`<section[^>]*id="row-because-${loved.slug}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? "";
    expect(row).toContain("Because you watched Seed Western");
    expect(row).toContain(similar.title);
    expect(row).not.toContain("Seen Western");
    expect(row).not.toContain("Disliked Western");
    expect(row).not.toContain(">Seed Western<");
  });
});
