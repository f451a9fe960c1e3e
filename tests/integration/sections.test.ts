// The header's sections: Films and Series with a genre filter, New & Popular, and the nav itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import type { Agent } from "../support/http.js";
import { seedSeries, seedTitle, viewer, type SeededTitle } from "../support/watching.js";

let ctx: TestContext;
let agent: Agent;
let horrorFilm: SeededTitle;
let comedyFilm: SeededTitle;
let show: SeededTitle;
beforeAll(async () => {
  ctx = await createTestContext();
  horrorFilm = await seedTitle(ctx.deps, { title: "Section Horror", genres: ["horror"] });
  comedyFilm = await seedTitle(ctx.deps, { title: "Section Comedy", genres: ["comedy"] });
  show = await seedSeries(ctx.deps, { title: "Section Serial", genres: ["horror"] });
  ({ agent } = await viewer(ctx.app, ctx.deps));
});
afterAll(async () => {
  await ctx?.close();
});

const grid = (html: string) => /<ul class="card-grid" id="section-grid">[\s\S]*?<\/ul>/.exec(html)?.[0] ?? "";

describe("Films and Series", () => {
  it("list one kind each, filtered by genre, and ignore a genre that does not exist", async () => {
    const films = await agent.get("/films");
    expect(films.status).toBe(200);
    expect(grid(films.text)).toContain("Section Horror");
    expect(grid(films.text)).toContain("Section Comedy");
    expect(grid(films.text)).not.toContain("Section Serial");
    const horror = await agent.get("/films?genre=horror");
    expect(grid(horror.text)).toContain(`/title/${horrorFilm.slug}`);
    expect(grid(horror.text)).not.toContain(`/title/${comedyFilm.slug}`);
    expect(horror.text).toMatch(/<option value="horror" selected>/);
    const series = await agent.get("/series?genre=horror");
    expect(grid(series.text)).toContain(`/title/${show.slug}`);
    expect(grid(series.text)).not.toContain(`/title/${horrorFilm.slug}`);
    expect((await agent.get("/films?genre=no-such-genre")).status).toBe(200);
    expect((await agent.get("/films?cursor=%24bad")).status).toBe(400);
  });
});

describe("New & Popular", () => {
  it("shows what was added this week and the Top 10 films and series", async () => {
    const res = await agent.get("/new");
    expect(res.status).toBe(200);
    for (const id of ["new-this-week", "top10-films", "top10-series"]) expect(res.text).toContain(`id="row-${id}"`);
    const week = res.text.slice(res.text.indexOf('id="row-new-this-week"'), res.text.indexOf('id="row-top10-films"'));
    expect(week).toContain("Section Serial");
    const films = res.text.slice(res.text.indexOf('id="row-top10-films"'), res.text.indexOf('id="row-top10-series"'));
    expect(films).toContain("Section Horror");
    expect(films).not.toContain("Section Serial");
  });
});

describe("the header", () => {
  it("links the sections and a genre menu, with the same sections in the phone tab bar", async () => {
    const html = (await agent.get("/films")).text;
    const nav = /<nav class="site-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "";
    for (const [href, label] of [
      ["/browse", "Home"],
      ["/series", "Series"],
      ["/films", "Films"],
      ["/new", "New &amp; Popular"],
      ["/my-list", "My List"],
    ]) {
      expect(nav).toContain(`href="${href}"`);
      expect(nav).toContain(label);
    }
    expect(nav).toMatch(/<a href="\/films" aria-current="page">/);
    expect(nav).toContain('href="/genre/horror"');
    const tabs = /<nav class="tab-bar"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "";
    expect(tabs.match(/<a href=/g)).toHaveLength(5);
  });
});
