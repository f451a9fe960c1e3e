// The per-profile and per-title caches behind /browse stay correct: every write that changes what
// a row shows is visible on the very next page, with the earlier page already cached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTitleStatus, updateTitle } from "../../src/services/catalog/title-admin.js";
import { createTestContext, type TestContext } from "../support/context.js";
import type { Agent } from "../support/http.js";
import { flushAllProgress, postProgress, seedTitle, viewer } from "../support/watching.js";
import { notifyUser } from "../../src/services/notifications/index.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const rowOf = (html: string, id: string) => new RegExp(`<section[^>]*id="row-${id}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? "";
const rate = (agent: Agent, token: string, titleId: string, value: string) =>
  agent.post(`/ratings/${titleId}`).set("HX-Request", "true").set("HX-Target", `thumbs-${titleId}`).type("form").send({ _csrf: token, value });

describe("/browse after the writes that change it", () => {
  it("loving a title adds its Because you watched row on the next /browse, and a thumbs down takes a title out of it", async () => {
    const loved = await seedTitle(ctx.deps, { title: "Cached Seed", genres: ["war"], popularity: 9000 });
    const picks = [];
    for (const name of ["First", "Second", "Third", "Fourth"])
      picks.push(await seedTitle(ctx.deps, { title: `${name} War Pick`, genres: ["war"], popularity: 8000 }));
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    expect(rowOf((await agent.get("/browse")).text, `because-${loved.slug}`)).toBe("");

    await rate(agent, token, loved.id, "2");
    const row = rowOf((await agent.get("/browse")).text, `because-${loved.slug}`);
    expect(row).toContain("Because you watched Cached Seed");
    expect(row).toContain("First War Pick");

    await rate(agent, token, picks[0]!.id, "-1");
    const after = rowOf((await agent.get("/browse")).text, `because-${loved.slug}`);
    expect(after).toContain("Second War Pick");
    expect(after).not.toContain("First War Pick");
  });

  it("finishing a title removes it from Continue Watching on the next /browse", async () => {
    const film = await seedTitle(ctx.deps, { title: "Half Watched Film" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: film.slug, position: 600, duration: 5400, ts: 1 });
    expect(rowOf((await agent.get("/browse")).text, "continue-watching")).toContain("Half Watched Film");

    await postProgress(agent, token, { slug: film.slug, position: 5300, duration: 5400, ts: 2 });
    expect(rowOf((await agent.get("/browse")).text, "continue-watching")).not.toContain("Half Watched Film");
  });

  it("a renamed or unpublished title changes its cached card in My List at once", async () => {
    const film = await seedTitle(ctx.deps, { title: "Old Card Name" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await agent.post(`/my-list/${film.id}`).type("form").send({ _csrf: token, inList: "1", next: "/browse" });
    expect(rowOf((await agent.get("/browse")).text, "my-list")).toContain("Old Card Name");

    await updateTitle(ctx.deps, film.id, { title: "New Card Name" });
    const renamed = rowOf((await agent.get("/browse")).text, "my-list");
    expect(renamed).toContain("New Card Name");
    expect(renamed).not.toContain("Old Card Name");

    await setTitleStatus(ctx.deps, film.id, "draft");
    expect(rowOf((await agent.get("/browse")).text, "my-list")).not.toContain("New Card Name");
  });

  it("sends a kept /browse again until anything it shows changes: the bell, the profile, the plan, progress", async () => {
    const film = await seedTitle(ctx.deps, { title: "Kept Page Film" });
    const { agent, token, user, profileId } = await viewer(ctx.app, ctx.deps);
    const first = (await agent.get("/browse")).text;
    expect(first).not.toContain('href="/plans"');
    expect(first).not.toContain('data-testid="unread-count"');
    const keptBefore = [...ctx.deps.pages.keys()].filter((k) => k.startsWith("gzip:page:")).length;
    const again = await agent.get("/browse");
    expect(again.text).toBe(first);
    expect([...ctx.deps.pages.keys()].filter((k) => k.startsWith("gzip:page:")).length).toBe(keptBefore);
    expect(keptBefore).toBeGreaterThan(0);

    await notifyUser(ctx.deps, { userId: user.id, type: "test", title: "notifications.test", dedupeKey: `kept-${user.id}` });
    expect((await agent.get("/browse")).text).toMatch(/data-testid="unread-count">1</);

    await ctx.deps.models.Profile.updateOne({ _id: profileId }, { $set: { name: "Renamed Viewer" } });
    expect((await agent.get("/browse")).text).toContain("Renamed Viewer");

    await postProgress(agent, token, { slug: film.slug, position: 600, duration: 5400, ts: 1 });
    expect(rowOf((await agent.get("/browse")).text, "continue-watching")).toContain("Kept Page Film");
    await flushAllProgress(ctx.deps);
    expect(rowOf((await agent.get("/browse")).text, "continue-watching")).toContain("Kept Page Film");

    await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { "subscription.status": "expired" } });
    expect((await agent.get("/browse")).text).toContain('href="/plans"');
  });

  it("sends a kept title page with the headers it was built with (Vary on the htmx headers)", async () => {
    const film = await seedTitle(ctx.deps, { title: "Kept Headers Film" });
    const { agent } = await viewer(ctx.app, ctx.deps);
    const built = await agent.get(`/title/${film.slug}`);
    const kept = await agent.get(`/title/${film.slug}`);
    expect(kept.text).toBe(built.text);
    expect(built.headers.vary).toMatch(/HX-Target/);
    expect(kept.headers.vary).toBe(built.headers.vary);
    expect(kept.headers["cache-control"]).toBe(built.headers["cache-control"]);
    expect(kept.headers["content-type"]).toBe(built.headers["content-type"]);
  });
});
