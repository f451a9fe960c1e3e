import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTitleCardsByIds } from "../../src/services/catalog/titles.js";
import { BROWSE_ROWS, buildBrowsePage, EAGER_ROWS, type BrowseRowSource } from "../../src/services/watching/browse-page.js";
import { seedDemoCatalog } from "../../src/services/catalog/seed.js";
import { recordPlay } from "../../src/services/catalog/stats.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { newAgent, signedInAgent } from "../support/http.js";
import { makeTitle } from "../support/catalog-fixtures.js";
import { flushAllProgress, postProgress, seedTitle, viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoCatalog(ctx.deps);
});
afterAll(async () => {
  await ctx?.close();
});

const rowIds = (html: string) => [...html.matchAll(/<section class="row [^"]*" id="row-([a-z0-9-]+)"/g)].map((m) => m[1]);

describe("browse", () => {
  it("sends anonymous visitors to the landing page, not the catalog", async () => {
    const res = await newAgent(ctx.app).get("/browse");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
    const landing = await newAgent(ctx.app).get("/");
    expect(landing.text).not.toContain('id="row-top10"');
  });

  it("shows the hero, Top 10 with numerals, Trending, New releases and one row per genre", async () => {
    const { agent } = await signedInAgent(ctx.app);
    const res = await agent.get("/browse");
    expect(res.status).toBe(200);
    expect(res.text).toContain('class="browse-hero"');
    const ids = rowIds(res.text);
    expect(ids.slice(0, 3)).toEqual(["top10", "trending", "new"]);
    expect(ids).toContain("genre-horror");
    expect(ids).toContain("genre-thriller");
    const top10 = res.text.slice(res.text.indexOf('id="row-top10"'), res.text.indexOf('id="row-trending"'));
    expect(top10.match(/class="card__rank"/g)).toHaveLength(10);
    expect(res.text).toContain('loading="lazy"');
    expect(res.text).toContain('tabindex="0"');
    // Genres with fewer than five titles make no row of their own; their genre page lists them.
    for (const genre of ["documentary", "music"]) {
      const count = await ctx.deps.models.Title.countDocuments({ status: "published", genres: genre });
      expect(count).toBeLessThan(5);
      expect(ids).not.toContain(`genre-${genre}`);
    }
  });

  it("loads later genre rows lazily as fragments, and sends a direct visit to the genre page", async () => {
    const { agent } = await signedInAgent(ctx.app);
    const page = await agent.get("/browse");
    const lazy = /id="row-(genre-[a-z-]+)"[^>]*data-hx-get="\/browse\/rows\/(genre-[a-z-]+)" data-hx-trigger="revealed"/.exec(page.text);
    expect(lazy).toBeTruthy();
    const id = lazy![1]!;
    const fragment = await agent.get(`/browse/rows/${id}`).set("HX-Request", "true").set("HX-Target", `row-${id}`);
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain("<html");
    expect(fragment.text).toContain('class="card__link"');
    expect(fragment.text).not.toContain("row--lazy");
    const direct = await agent.get(`/browse/rows/${id}`);
    expect(direct.status).toBe(303);
    expect(direct.headers.location).toBe(`/genre/${id.slice("genre-".length)}`);
    expect((await agent.get("/browse/rows/nope")).status).toBe(404);
  });

  it("ranks Top 10 today by today's plays", async () => {
    const title = await makeTitle(ctx.deps, { title: "Rarely Seen Gem", popularity: 0 });
    for (let i = 0; i < 50; i++) await recordPlay(ctx.deps, title.id);
    const page = await buildBrowsePage(ctx.deps, { viewer: {}, profile: null, userId: "u", locale: "en" });
    expect(page.rows.find((r) => r.id === "top10")!.items[0]!.slug).toBe(title.slug);
  });

  it("counts concurrent plays of one title on one day in one document", async () => {
    const title = await makeTitle(ctx.deps);
    await Promise.all(Array.from({ length: 10 }, () => recordPlay(ctx.deps, title.id, "2030-01-01")));
    const stats = await ctx.deps.models.TitleStat.find({ titleId: title._id, day: "2030-01-01" }).lean();
    expect(stats).toHaveLength(1);
    expect(stats[0]!.plays).toBe(10);
  });

  it("puts each row at its place in the list, and skips a failing one", async () => {
    const [first] = await ctx.deps.models.Title.find({ status: "published" }).limit(1).lean();
    const testRow: BrowseRowSource = {
      id: "test-row",
      rows: async (deps, c) => [{ id: "test-row", titleKey: "catalog.rows.trending", items: await getTitleCardsByIds(deps, c.viewer, [String(first!._id)]) }],
    };
    const broken: BrowseRowSource = {
      id: "broken-row",
      rows: async () => {
        throw new Error("boom");
      },
    };
    const sources = [testRow, broken, ...BROWSE_ROWS];
    const page = await buildBrowsePage(ctx.deps, { viewer: {}, profile: null, userId: "u", locale: "en" }, sources);
    const ids = page.rows.map((r) => r.id);
    expect(ids[0]).toBe("test-row");
    expect(ids.indexOf("top10")).toBeGreaterThan(0);
    expect(ids).not.toContain("broken-row");
  });

  it("applies a kids ceiling to every row", async () => {
    const page = await buildBrowsePage(ctx.deps, { viewer: { maxMaturity: "G" }, profile: null, userId: "u", locale: "en" });
    const cards = page.rows.flatMap((r) => r.items);
    expect(cards.length).toBeGreaterThan(10);
    for (const card of cards) expect(["TV-Y", "G", "TV-G"]).toContain(card.maturity);
    expect(page.hero === null || ["G", "TV-G", "TV-Y"].includes(page.hero.maturity)).toBe(true);
  });
});

/** The page's rows in order, each drawn (cards in the page) or lazy (a placeholder loading itself). */
const rowShapes = (html: string) =>
  [...html.matchAll(/<section class="row [^"]*" id="row-([a-z0-9-]+)"[^>]*>/g)].map((m) => ({ id: m[1]!, lazy: m[0].includes("data-hx-get") }));

describe("/browse: how much of the page is drawn", () => {
  it("draws the first rows and leaves the catalog's later rows to load when scrolled to, for new profiles and returning ones alike", async () => {
    const fresh = await viewer(ctx.app, ctx.deps);
    const newRows = rowShapes((await fresh.agent.get("/browse")).text);
    expect(newRows.slice(0, EAGER_ROWS).every((r) => !r.lazy)).toBe(true);
    expect(newRows.slice(EAGER_ROWS).length).toBeGreaterThan(0);
    expect(newRows.slice(EAGER_ROWS).every((r) => r.lazy)).toBe(true);

    // A returning viewer's own rows take the first places; the catalog rows they push down wait.
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    const films = await Promise.all(["Kept One", "Kept Two"].map((title) => seedTitle(ctx.deps, { title })));
    for (const film of films) await agent.post(`/my-list/${film.id}`).type("form").send({ _csrf: token, inList: "1", next: "/browse" });
    await postProgress(agent, token, { slug: films[0]!.slug, position: 600, duration: 5400, ts: 1 });
    await flushAllProgress(ctx.deps);
    const rows = rowShapes((await agent.get("/browse")).text);
    expect(rows.slice(0, 2)).toEqual([
      { id: "continue-watching", lazy: false },
      { id: "my-list", lazy: false },
    ]);
    expect(rows.filter((r) => !r.lazy)).toHaveLength(EAGER_ROWS);
    // The two catalog rows a new profile draws last wait for this one.
    for (const pushed of newRows.slice(EAGER_ROWS - 2, EAGER_ROWS)) expect(rows.find((r) => r.id === pushed.id)).toEqual({ id: pushed.id, lazy: true });
    // Every row is still on the page, in the same order as the new profile's after its own rows.
    expect(rows.slice(2).map((r) => r.id)).toEqual(newRows.map((r) => r.id));
  });
});
