// The preview card's fragment: art, Play, My List and thumbs for the profile, maturity, runtime and
// genres; drafts and titles over a kids profile's ceiling are 404 like the title page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { seedSeries, seedTitle, viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe("GET /title/:slug/preview", () => {
  it("is a small fragment with the profile's My List and thumbs state", async () => {
    const film = await seedTitle(ctx.deps, { title: "Preview Film", genres: ["drama", "romance"], runtimeMin: 95, maturity: "PG-13" });
    const show = await seedSeries(ctx.deps, { title: "Preview Serial" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await agent.post(`/my-list/${film.id}`).type("form").send({ _csrf: token, inList: "1" });
    const res = await agent.get(`/title/${film.slug}/preview`).set("HX-Request", "true");
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("<html");
    expect(res.text.length).toBeLessThan(8000);
    expect(res.text).toContain('data-testid="title-preview"');
    expect(res.text).toContain(`href="/watch/${film.slug}"`);
    expect(res.text).toContain(`id="mylist-preview-${film.id}"`);
    expect(res.text).toMatch(/data-testid="mylist-button"[^>]*>|aria-pressed="true"/);
    expect(res.text).toContain(`id="thumbs-${film.id}"`);
    expect(res.text).toContain("PG-13");
    expect(res.text).toContain("1 h 35 min");
    expect(res.text).toContain("Drama · Romance");
    const serial = await agent.get(`/title/${show.slug}/preview`).set("HX-Request", "true");
    expect(serial.text).toContain("2 seasons");
    // Not from htmx (a typed address): the title page.
    const plain = await agent.get(`/title/${film.slug}/preview`).redirects(0);
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe(`/title/${film.slug}`);
  });

  it("answers 404 for a draft, an unknown slug and a bad slug", async () => {
    const { agent } = await viewer(ctx.app, ctx.deps);
    const { createTitle } = await import("../../src/services/catalog/index.js");
    const draft = await createTitle(ctx.deps, { kind: "movie", slug: `preview-draft-${Date.now()}`, title: "Draft", maturity: "PG" });
    expect((await agent.get(`/title/${draft.slug}/preview`)).status).toBe(404);
    expect((await agent.get("/title/no-such-title-here/preview")).status).toBe(404);
    expect((await agent.get("/title/BAD%20SLUG/preview")).status).toBe(404);
  });
});
