import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTmdbClient, TmdbError } from "../../src/lib/tmdb.js";
import { importFromTmdb } from "../../src/services/catalog/import.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { json, movieBody, startFakeTmdb, type FakeTmdb } from "../support/fake-tmdb.js";

let ctx: TestContext;
let tmdb: FakeTmdb;
const sleeps: number[] = [];
const noWait = async (ms: number) => void sleeps.push(ms);

beforeAll(async () => {
  tmdb = await startFakeTmdb();
  ctx = await createTestContext({
    TMDB_API_KEY: "test-key",
    TMDB_BASE_URL: tmdb.baseUrl,
    TMDB_TIMEOUT_MS: "200",
    TMDB_MAX_RETRIES: "2",
    TMDB_BREAKER_THRESHOLD: "2",
  });
});
afterAll(async () => {
  await ctx?.close();
  await tmdb?.close();
});

const client = (tmdbOverrides: Record<string, unknown> = {}) =>
  createTmdbClient({ ...ctx.deps, config: { ...ctx.config, tmdb: { ...ctx.config.tmdb, ...tmdbOverrides } } }, { sleep: noWait });
const hits = (path: string) => tmdb.requests.filter((u) => u.pathname === `/3/${path}`).length;

describe("TMDB client", () => {
  it("imports a film with its genres, images, rating and YouTube trailer as a draft", async () => {
    tmdb.handle("movie/603", (_req, res, url) => {
      expect(url.searchParams.get("api_key")).toBe("test-key");
      expect(url.searchParams.get("append_to_response")).toBe("videos,release_dates");
      json(res, 200, movieBody(603));
    });
    const result = await importFromTmdb(ctx.deps, { tmdbId: 603, kind: "movie" }, { client: client() });
    const title = await ctx.deps.models.Title.findById(result.id).lean();
    expect(title).toMatchObject({
      slug: "the-matrix-1999",
      status: "draft",
      kind: "movie",
      year: 1999,
      runtimeMin: 136,
      maturity: "R",
      genres: ["action", "science-fiction"],
      posterUrl: "https://image.tmdb.org/t/p/w342/poster.jpg",
      backdropUrl: "https://image.tmdb.org/t/p/w1280/backdrop.jpg",
      trailer: { youtubeKey: "vKQi3bBA1y8" },
      source: { tmdbId: 603 },
    });
    const again = await importFromTmdb(ctx.deps, { tmdbId: 603, kind: "movie" }, { client: client() });
    expect(again).toMatchObject({ created: false, slug: "the-matrix-1999" });
  });

  it("caches responses in Redis: the second read does not call TMDB", async () => {
    tmdb.handle("movie/700", (_req, res) => json(res, 200, movieBody(700, { title: "Cached Film" })));
    const c = client();
    await c.movie(700);
    await c.movie(700);
    expect(hits("movie/700")).toBe(1);
  });

  it("retries after a 429, honouring Retry-After, then succeeds", async () => {
    let calls = 0;
    tmdb.handle("movie/701", (_req, res) => {
      calls++;
      if (calls === 1) return json(res, 429, { status_message: "slow down" }, { "retry-after": "1" });
      json(res, 200, movieBody(701, { title: "After Throttle" }));
    });
    sleeps.length = 0;
    const movie = await client().movie(701);
    expect(movie.title).toBe("After Throttle");
    expect(calls).toBe(2);
    expect(sleeps).toEqual([1000]);
  });

  it("backs off exponentially on 5xx and gives up after the configured retries", async () => {
    tmdb.handle("movie/702", (_req, res) => json(res, 503, { status_message: "down" }));
    sleeps.length = 0;
    await expect(client({ breakerThreshold: 100 }).movie(702)).rejects.toMatchObject({ messageKey: "catalog.tmdb.unavailable" });
    expect(hits("movie/702")).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!);
  });

  it("opens the circuit after repeated timeouts and then fails fast without calling TMDB", async () => {
    tmdb.handle("movie/703", () => {
      /* never answers */
    });
    const c = client({ maxRetries: 0, timeoutMs: 100, breakerThreshold: 2, breakerCooldownMs: 60_000 });
    await expect(c.movie(703)).rejects.toMatchObject({ messageKey: "catalog.tmdb.unavailable" });
    await expect(c.movie(703)).rejects.toMatchObject({ messageKey: "catalog.tmdb.unavailable" });
    expect(c.breakerState()).toBe("open");
    const before = hits("movie/703");
    const started = Date.now();
    await expect(c.movie(703)).rejects.toMatchObject({ messageKey: "catalog.tmdb.unavailable" });
    expect(Date.now() - started).toBeLessThan(50);
    expect(hits("movie/703")).toBe(before);
  });

  it("closes the circuit again after the cool-down when TMDB answers", async () => {
    let up = false;
    tmdb.handle("movie/704", (_req, res) => (up ? json(res, 200, movieBody(704)) : json(res, 500, {})));
    // A cool-down long enough that a busy machine still sees the circuit open right after the failure.
    const c = client({ maxRetries: 0, breakerThreshold: 1, breakerCooldownMs: 1000 });
    await expect(c.movie(704)).rejects.toBeInstanceOf(TmdbError);
    expect(c.breakerState()).toBe("open");
    up = true;
    await new Promise((r) => setTimeout(r, 1100));
    expect(c.breakerState()).toBe("half-open");
    expect((await c.movie(704)).id).toBe(704);
    expect(c.breakerState()).toBe("closed");
  });

  it("rejects a response that does not match the schema, and one that is not JSON", async () => {
    tmdb.handle("movie/705", (_req, res) => json(res, 200, { id: "not-a-number", title: 5 }));
    tmdb.handle("movie/706", (_req, res) => json(res, 200, "<html>oops</html>"));
    await expect(client().movie(705)).rejects.toMatchObject({ messageKey: "catalog.tmdb.badResponse" });
    await expect(client().movie(706)).rejects.toMatchObject({ messageKey: "catalog.tmdb.badResponse" });
    expect(await ctx.deps.models.Title.exists({ "source.tmdbId": 705 })).toBeNull();
  });

  it("says clearly that TMDB is not configured when there is no key or token", async () => {
    const c = client({ apiKey: undefined, readToken: undefined });
    expect(c.configured).toBe(false);
    await expect(c.movie(603)).rejects.toMatchObject({ messageKey: "catalog.tmdb.notConfigured" });
  });

  it("sends the read token as a bearer header when there is no API key", async () => {
    tmdb.handle("movie/707", (req, res, url) => {
      expect(req.headers.authorization).toBe("Bearer read-token");
      expect(url.searchParams.has("api_key")).toBe(false);
      json(res, 200, movieBody(707));
    });
    expect((await client({ apiKey: undefined, readToken: "read-token" }).movie(707)).id).toBe(707);
  });
});
