import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENRE_PAGE_SIZE, listGenrePage } from "../../src/services/catalog/titles.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { signedInAgent, type Agent } from "../support/http.js";
import { makeTitle } from "../support/catalog-fixtures.js";

let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent } = await signedInAgent(ctx.app));
});
afterAll(async () => {
  await ctx?.close();
});

describe("genre pages", () => {
  it("pages by cursor without duplicates or gaps while titles are added between pages", async () => {
    const original = [];
    // Ties in popularity on purpose: the _id tie-breaker must keep the order total.
    for (let i = 0; i < GENRE_PAGE_SIZE * 2 + 5; i++) original.push(await makeTitle(ctx.deps, { genres: ["western"], popularity: i % 7 }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const res = await listGenrePage(ctx.deps, {}, "western", cursor);
      seen.push(...res.items.map((c) => c.id));
      cursor = res.nextCursor ?? undefined;
      // New titles land both before and after the cursor while someone is scrolling.
      await makeTitle(ctx.deps, { genres: ["western"], popularity: 100 });
      await makeTitle(ctx.deps, { genres: ["western"], popularity: 0 });
      page++;
    } while (cursor && page < 20);
    const originalIds = original.map((t) => t.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of originalIds) expect(seen).toContain(id);
  });

  it("renders the next page as a fragment for infinite scroll and as a page with a plain link", async () => {
    for (let i = 0; i < GENRE_PAGE_SIZE + 2; i++) await makeTitle(ctx.deps, { genres: ["music"], title: `Song ${i}`, popularity: 50 - i });
    const first = await agent.get("/genre/music");
    expect(first.status).toBe(200);
    const next = /href="(\/genre\/music\?cursor=[A-Za-z0-9_-]+)"/.exec(first.text)?.[1];
    expect(next).toBeTruthy();
    expect(first.text).toContain('data-hx-trigger="revealed"');
    const fragment = await agent.get(next!).set("HX-Request", "true").set("HX-Target", "genre-more");
    expect(fragment.text).not.toContain("<html");
    expect(fragment.text).toContain("Song 25");
    expect(fragment.text).not.toContain("Song 0<");
    const plain = await agent.get(next!);
    expect(plain.text).toContain("<html");
    expect(plain.text).toContain('href="/genre/music"');
  });

  it("answers 404 for an unknown genre and 400 for a forged cursor", async () => {
    expect((await agent.get("/genre/nope")).status).toBe(404);
    expect((await agent.get("/genre/music?cursor=bm90LWpzb24")).status).toBe(400);
  });

  it("lists every genre on /genres", async () => {
    const res = await agent.get("/genres");
    expect(res.text).toContain('href="/genre/science-fiction"');
  });
});
