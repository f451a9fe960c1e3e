// Progress saves under faults: a process killed in the middle of its flush loses nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findJob } from "../../src/jobs/schedule.js";
import { runJob } from "../../src/services/ops/index.js";
import { inflightKey, progressRowId } from "../../src/services/watching/index.js";
import { createTestContext, testEnv, type TestContext } from "../support/context.js";
import { eventually, exited, spawnTs } from "../support/processes.js";
import { postProgress, seedSeries, viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  // This process never flushes on its own during the test (the delay is long); a flush it runs
  // takes over in-flight rows older than 1 s.
  ctx = await createTestContext({ PROGRESS_FLUSH_DELAY_MS: "300000", PROGRESS_INFLIGHT_STALE_MS: "1000" });
});
afterAll(() => ctx?.close());

describe("a web process killed between its flush's read and its database write", () => {
  it("leaves its rows in flight, and the worker's next flush stores every acknowledged position", async () => {
    const series = await seedSeries(ctx.deps);
    const viewers = [await viewer(ctx.app, ctx.deps), await viewer(ctx.app, ctx.deps)];
    const acknowledged: { profileId: string; episode: string; position: number }[] = [];
    for (const v of viewers) {
      for (const [i, episode] of ["s1e1", "s1e2", "s2e1"].entries()) {
        const position = 100 + i * 10;
        const res = await postProgress(v.agent, v.token, { slug: series.slug, episode, position, duration: 1500, ts: Date.now() });
        expect(res.status).toBeLessThan(300);
        acknowledged.push({ profileId: v.profileId, episode, position });
      }
    }

    // The flusher spreads six writes over 150 s: it is killed after taking the rows, mid-batch.
    const flusher = spawnTs(
      "tests/support/progress-flusher.ts",
      testEnv({ MONGODB_URI: ctx.config.mongoUri, REDIS_URL: ctx.config.redisUrl, PROGRESS_FLUSH_DELAY_MS: "300000" }),
    );
    await eventually(async () => (await ctx.deps.redis.zcard(inflightKey(ctx.deps))) === acknowledged.length, 30_000);
    flusher.kill("SIGKILL");
    await exited(flusher);
    const storedBefore = await ctx.deps.models.WatchProgress.countDocuments({});
    expect(storedBefore).toBeLessThan(acknowledged.length);
    expect(await ctx.deps.redis.scard(`progress:${ctx.deps.models.WatchProgress.db.name}:dirty`)).toBe(0);

    // The worker's job, once the in-flight rows are stale, takes them over.
    await new Promise((r) => setTimeout(r, 1100));
    const run = await runJob(ctx.deps, findJob("flush-progress")!, { fireTime: new Date(), trigger: "manual" });

    expect(run.status).toBe("succeeded");
    for (const a of acknowledged) {
      const row = await ctx.deps.models.WatchProgress.findOne({ _id: progressRowId(a.profileId, series.id, a.episode) }).lean();
      expect(row?.positionSec).toBe(a.position);
    }
    expect(await ctx.deps.redis.zcard(inflightKey(ctx.deps))).toBe(0);
  }, 60_000);
});
