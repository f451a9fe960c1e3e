import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTitleDetail, listGenrePage } from "../../src/services/catalog/titles.js";
import { searchTitles } from "../../src/services/catalog/search.js";
import { setTitleStatus } from "../../src/services/catalog/title-admin.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { type Agent } from "../support/http.js";
import { viewer } from "../support/watching.js";
import { makeSeries, makeTitle } from "../support/catalog-fixtures.js";

let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  // A subscriber: an account without a plan sees "Choose a plan" where Play would be.
  ({ agent } = await viewer(ctx.app, ctx.deps));
});
afterAll(async () => {
  await ctx?.close();
});

describe("title details", () => {
  it("answers the dialog fragment to htmx targeting the dialog, and the full page otherwise", async () => {
    const title = await makeTitle(ctx.deps, { title: "Dialog Film", genres: ["comedy"] });
    await makeTitle(ctx.deps, { title: "Similar Comedy", genres: ["comedy"] });
    const fragment = await agent.get(`/title/${title.slug}`).set("HX-Request", "true").set("HX-Target", "title-dialog");
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain("<html");
    expect(fragment.text).toContain("<dialog");
    expect(fragment.text).toContain("Dialog Film");
    expect(fragment.text).toContain("Similar Comedy");
    expect(fragment.headers.vary).toMatch(/HX-Request/);

    const page = await agent.get(`/title/${title.slug}`);
    expect(page.text).toContain("<html");
    expect(page.text).toContain('<h1 class="title-details__name"');
    expect(page.headers.vary).toMatch(/HX-Request/);
    const boosted = await agent.get(`/title/${title.slug}`).set("HX-Request", "true").set("HX-Boosted", "true");
    expect(boosted.text).toContain("<html");
  });

  it("links Play to the watch page and Trailer to the trailer page", async () => {
    const title = await makeTitle(ctx.deps, { trailer: { youtubeKey: "dQw4w9WgXcQ", hlsUrl: null } });
    const page = await agent.get(`/title/${title.slug}`);
    expect(page.text).toContain(`href="/watch/${title.slug}"`);
    expect(page.text).toContain(`href="/watch/${title.slug}/trailer"`);
  });

  it("swaps a series' episode list in place when another season is picked, and works as a plain GET", async () => {
    const series = await makeSeries(ctx.deps, { title: "Picker Series" });
    const page = await agent.get(`/title/${series.slug}`);
    expect(page.text).toContain("Pilot Alpha");
    expect(page.text).toContain(`href="/watch/${series.slug}/s/1/e/1"`);
    const fragment = await agent.get(`/title/${series.slug}?season=2`).set("HX-Request", "true").set("HX-Target", "episodes");
    expect(fragment.text).not.toContain("<html");
    expect(fragment.text).toMatch(/^<div id="episodes"/);
    expect(fragment.text).toContain("Return Beta");
    expect(fragment.text).not.toContain("Pilot Alpha");
    const noJs = await agent.get(`/title/${series.slug}?season=2`);
    expect(noJs.text).toContain("<html");
    expect(noJs.text).toContain("Return Beta");
  });

  it("answers 404 for an unknown slug and a malformed one", async () => {
    expect((await agent.get("/title/no-such-title")).status).toBe(404);
    expect((await agent.get("/title/Bad%20Slug")).status).toBe(404);
  });
});

describe("drafts", () => {
  it("are invisible to subscribers everywhere, including by direct URL", async () => {
    const draft = await makeTitle(ctx.deps, { title: "Secret Draft Zyx", genres: ["war"] }, false);
    expect((await agent.get(`/title/${draft.slug}`)).status).toBe(404);
    expect((await agent.get(`/title/${draft.slug}`).set("HX-Request", "true").set("HX-Target", "title-dialog")).status).toBe(404);
    expect((await agent.get(`/art/${draft.slug}/poster.svg`)).status).toBe(404);
    expect((await agent.get("/browse")).text).not.toContain("Secret Draft Zyx");
    expect((await agent.get("/genre/war")).text).not.toContain("Secret Draft Zyx");
    expect((await agent.get("/search?q=secret")).text).not.toContain("Secret Draft Zyx");
  });

  it("appear once published and disappear again when unpublished", async () => {
    const draft = await makeTitle(ctx.deps, { title: "Flip Flop Qwv" }, false);
    await setTitleStatus(ctx.deps, draft.id, "published");
    expect((await agent.get(`/title/${draft.slug}`)).status).toBe(200);
    await setTitleStatus(ctx.deps, draft.id, "draft");
    expect((await agent.get(`/title/${draft.slug}`)).status).toBe(404);
  });
});

describe("kids ceiling", () => {
  it("hides titles over the ceiling from details, genre pages and search", async () => {
    const adult = await makeTitle(ctx.deps, { title: "Grim Night Kqz", maturity: "R", genres: ["horror"] });
    const kids = { maxMaturity: "PG" };
    await expect(getTitleDetail(ctx.deps, kids, adult.slug)).rejects.toMatchObject({ status: 404 });
    expect((await getTitleDetail(ctx.deps, {}, adult.slug)).title).toBe("Grim Night Kqz");
    expect((await listGenrePage(ctx.deps, kids, "horror")).items.map((c) => c.slug)).not.toContain(adult.slug);
    expect((await searchTitles(ctx.deps, kids, { q: "grim" })).items).toHaveLength(0);
    expect((await searchTitles(ctx.deps, {}, { q: "grim" })).items.map((c) => c.slug)).toContain(adult.slug);
  });
});

describe("title art", () => {
  it("serves a cacheable SVG poster without a session", async () => {
    const title = await makeTitle(ctx.deps, { title: "Poster Film" });
    const res = await agent.get(`/art/${title.slug}/poster.svg`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/image\/svg\+xml/);
    expect(res.headers["cache-control"]).toContain("max-age");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});
