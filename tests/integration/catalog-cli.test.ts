import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { cliEnv, runCli } from "../support/cli.js";
import { json, movieBody, startFakeTmdb, type FakeTmdb } from "../support/fake-tmdb.js";

let ctx: TestContext;
let tmdb: FakeTmdb;
beforeAll(async () => {
  ctx = await createTestContext();
  tmdb = await startFakeTmdb();
  tmdb.handle("movie/901", (_req, res) => json(res, 200, movieBody(901, { title: "Cli Imported Film", release_date: "1931-02-14" })));
  tmdb.handle("movie/902", (_req, res) => json(res, 200, movieBody(902, { title: "Second Match", release_date: "1932-01-01" })));
  tmdb.handle("search/multi", (_req, res, url) =>
    json(res, 200, {
      page: 1,
      total_results: 3,
      results:
        url.searchParams.get("query") === "match"
          ? [
              { id: 77, media_type: "person", name: "Someone" },
              { id: 901, media_type: "movie", title: "Cli Imported Film" },
              { id: 902, media_type: "movie", title: "Second Match" },
            ]
          : [],
    }),
  );
});
afterAll(async () => {
  await ctx?.close();
  await tmdb?.close();
});

const withTmdb = () => cliEnv(ctx.config, { TMDB_API_KEY: "cli-key", TMDB_BASE_URL: tmdb.baseUrl });

describe("netflix-admin catalog", () => {
  it("seeds the demo catalog idempotently and records it in the audit log", async () => {
    const first = await runCli(["catalog", "seed", "--json"], cliEnv(ctx.config));
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as { total: number; created: number };
    expect(summary.total).toBeGreaterThanOrEqual(63);
    expect(summary.created).toBe(summary.total);
    const films = await ctx.deps.models.Title.countDocuments({ kind: "movie", status: "published" });
    const series = await ctx.deps.models.Title.find({ kind: "series", status: "published" }).lean();
    expect(films).toBeGreaterThanOrEqual(60);
    expect(series.length).toBeGreaterThanOrEqual(3);
    for (const s of series) expect(s.seasons[0]!.episodes.length).toBeGreaterThan(0);
    const again = await runCli(["catalog", "seed"], cliEnv(ctx.config));
    expect(again.stdout).toMatch(/0 new/);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "catalog.seed" })).toBe(2);
  });

  it("warms the caches and says TMDB is skipped without a key", async () => {
    const res = await runCli(["catalog", "warm-cache"], cliEnv(ctx.config));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Warmed 6 row sets/);
    expect(res.stdout).toMatch(/TMDB: not configured/);
  });

  it("imports by TMDB id as a draft, and by query the best film matches", async () => {
    const byId = await runCli(["catalog", "import", "--tmdb-id", "901"], withTmdb());
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain("cli-imported-film-1931");
    expect((await ctx.deps.models.Title.findOne({ slug: "cli-imported-film-1931" }).lean())?.status).toBe("draft");
    const byQuery = await runCli(["catalog", "import", "--query", "match", "--limit", "2", "--publish", "--json"], withTmdb());
    expect(byQuery.code).toBe(0);
    const rows = JSON.parse(byQuery.stdout) as { tmdbId: number; created: boolean }[];
    expect(rows.map((r) => r.tmdbId)).toEqual([901, 902]);
    expect((await ctx.deps.models.Title.findOne({ "source.tmdbId": 902 }).lean())?.status).toBe("published");
  });

  it("fails with one clear line when TMDB is not configured, and 2 on bad usage", async () => {
    const noKey = await runCli(["catalog", "import", "--tmdb-id", "901"], cliEnv(ctx.config));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr.trim()).toMatch(/^error: TMDB is not configured/);
    expect(noKey.stderr).not.toMatch(/\n\s+at /);
    const both = await runCli(["catalog", "import", "--tmdb-id", "1", "--query", "x"], withTmdb());
    expect(both.code).toBe(2);
    const neither = await runCli(["catalog", "import"], withTmdb());
    expect(neither.code).toBe(2);
  });
});
