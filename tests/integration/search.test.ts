import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchTitles } from "../../src/services/catalog/search.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { signedInAgent, type Agent } from "../support/http.js";
import { makeTitle } from "../support/catalog-fixtures.js";

let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent } = await signedInAgent(ctx.app));
  await makeTitle(ctx.deps, { title: "Night of the Living Dead", year: 1968, genres: ["horror"], popularity: 90, maturity: "R" });
  await makeTitle(ctx.deps, { title: "Đêm Trăng Sáng", originalTitle: "Moonlit Night", year: 1999, genres: ["romance"], popularity: 20 });
  await makeTitle(ctx.deps, { title: "Nightfall Express", year: 1950, genres: ["thriller"], popularity: 40 });
});
afterAll(async () => {
  await ctx?.close();
});

const titlesOf = async (q: Parameters<typeof searchTitles>[2]) => (await searchTitles(ctx.deps, {}, q)).items.map((c) => c.title);

describe("search", () => {
  it("matches the start of any word of the title, every word typed, most popular first", async () => {
    expect(await titlesOf({ q: "nig" })).toEqual(["Night of the Living Dead", "Nightfall Express", "Đêm Trăng Sáng"]);
    expect(await titlesOf({ q: "liv nig" })).toEqual(["Night of the Living Dead"]);
    expect(await titlesOf({ q: "ight" })).toEqual([]);
  });

  it("folds accents both ways: plain letters find Vietnamese titles and accented queries find plain ones", async () => {
    expect(await titlesOf({ q: "dem trang" })).toEqual(["Đêm Trăng Sáng"]);
    expect(await titlesOf({ q: "ĐÊM" })).toEqual(["Đêm Trăng Sáng"]);
    expect(await titlesOf({ q: "nìght lìving" })).toEqual(["Night of the Living Dead"]);
  });

  it("filters by genre and year, with or without words", async () => {
    expect(await titlesOf({ q: "nig", genre: "thriller" })).toEqual(["Nightfall Express"]);
    expect(await titlesOf({ year: 1968 })).toEqual(["Night of the Living Dead"]);
    expect(await titlesOf({ genre: "romance" })).toEqual(["Đêm Trăng Sáng"]);
  });

  it("renders results alone for the active-search request and the whole page for a direct visit", async () => {
    const fragment = await agent.get("/search?q=night&genre=&year=").set("HX-Request", "true").set("HX-Target", "search-results");
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain("<html");
    expect(fragment.text).toMatch(/^<div id="search-results"/);
    expect(fragment.text).toContain("Nightfall Express");
    const page = await agent.get("/search?q=night");
    expect(page.text).toContain("<html");
    expect(page.text).toContain('value="night"');
    expect(page.text).toContain('data-hx-sync="this:replace"');
    expect(page.text).toContain('data-hx-replace-url="true"');
  });

  it("designs the empty and no-result states", async () => {
    const empty = await agent.get("/search");
    expect(empty.text).toContain("Find something to watch");
    const none = await agent.get("/search?q=zzzzqqq");
    expect(none.text).toContain("No results for");
  });

  it("never turns query-string tricks into operators: bracket keys are ignored, repeated keys are 400", async () => {
    const bracket = await agent.get("/search?q[$ne]=x");
    expect(bracket.status).toBe(200);
    expect(bracket.text).toContain("Find something to watch");
    expect((await agent.get("/search?q=a&q=b")).status).toBe(400);
  });

  it("refuses a search longer than 100 characters with a 400 that says so", async () => {
    const res = await agent.get(`/search?q=${"a".repeat(101)}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain("Search for at most 100 characters.");
    expect((await agent.get(`/search?q=${"a".repeat(100)}`)).status).toBe(200);
  });

  it("refuses a 15 KB address with a 400 before loading the session", async () => {
    const res = await agent.get(`/search?q=${"a".repeat(15_000)}`).set("Accept-Language", "vi");
    expect(res.status).toBe(400);
    expect(res.text).toContain("Địa chỉ này quá dài.");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});
