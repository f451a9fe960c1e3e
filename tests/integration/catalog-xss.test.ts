import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { signedInAgent, type Agent } from "../support/http.js";
import { makeSeries, makeTitle } from "../support/catalog-fixtures.js";

const EVIL = "<img src=x onerror=alert(1)>";
const HTMX_EVIL = '<div data-hx-get="/admin" hx-get="/admin">';

let ctx: TestContext;
let agent: Agent;
let slug: string;
let seriesSlug: string;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent } = await signedInAgent(ctx.app));
  slug = (await makeTitle(ctx.deps, { title: EVIL, originalTitle: HTMX_EVIL, overview: EVIL, genres: ["mystery"], popularity: 1000 })).slug;
  seriesSlug = (
    await makeSeries(ctx.deps, {
      title: `Series ${EVIL}`,
      seasons: [{ number: 1, title: HTMX_EVIL, year: 1950, episodes: [{ number: 1, title: EVIL, runtimeMin: 10 }] }],
    })
  ).slug;
});
afterAll(async () => {
  await ctx?.close();
});

function expectEscaped(html: string) {
  expect(html).not.toContain(EVIL);
  expect(html).not.toContain(HTMX_EVIL);
}

describe("a title named like markup", () => {
  it("renders escaped on every catalog page and fragment", async () => {
    const pages = ["/browse", `/title/${slug}`, `/title/${seriesSlug}`, "/genre/mystery", "/search?q=img", "/search?q=series"];
    for (const path of pages) {
      const res = await agent.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expectEscaped(res.text);
    }
    const dialog = await agent.get(`/title/${slug}`).set("HX-Request", "true").set("HX-Target", "title-dialog");
    expectEscaped(dialog.text);
    const results = await agent.get("/search?q=img").set("HX-Request", "true").set("HX-Target", "search-results");
    expectEscaped(results.text);
  });

  it("renders escaped inside the generated SVG art", async () => {
    const res = await agent.get(`/art/${slug}/poster.svg`);
    expect(res.status).toBe(200);
    const svg = Buffer.isBuffer(res.body) ? res.body.toString("utf8") : res.text;
    // Each poster layout sets the title in its own case: escaped whatever the case.
    expect(svg).toMatch(/&lt;img src=x/i);
    expect(svg).not.toMatch(/<img/i);
  });
});
