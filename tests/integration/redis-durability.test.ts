// Redis restarts under progress load: the append-only file (fsync every second) is the promise.
// A graceful restart loses nothing; a kill -9 loses at most the saves of the last fsync window,
// and no position ever reads older than what the database already had.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getResumePoint } from "../../src/services/watching/index.js";
import { startRedis, type LocalService } from "../../tools/local-services.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { eventually } from "../support/processes.js";
import { postProgress, seedTitle, viewer } from "../support/watching.js";

// appendfsync everysec: Redis fsyncs once a second, and may wait up to one more second when a
// previous fsync is still running; beyond two seconds an acknowledged save must survive.
const FSYNC_BOUND_MS = 2000;
const VIEWERS = 4;

let dir: string;
let redis: LocalService;
let ctx: TestContext;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "netflix-redis-durability-"));
  redis = await startRedis({ dir });
  ctx = await createTestContext({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: "500" });
});
afterAll(async () => {
  await ctx?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Ack {
  position: number;
  at: number;
}

/** Viewers saving progress in a loop until `stop` is set; every 2xx answer is an acknowledged save. */
async function saveUnder(fault: () => Promise<void>) {
  const film = await seedTitle(ctx.deps);
  const viewers = await Promise.all(Array.from({ length: VIEWERS }, () => viewer(ctx.app, ctx.deps)));
  const acks = new Map<string, Ack[]>(viewers.map((v) => [v.profileId, []]));
  let stop = false;
  const loops = viewers.map(async (v) => {
    for (let position = 1; !stop; position++) {
      const res = await postProgress(v.agent, v.token, { slug: film.slug, position, duration: 20_000, ts: Date.now() }).catch(() => null);
      if (res && res.status < 300) acks.get(v.profileId)!.push({ position, at: Date.now() });
    }
  });
  await new Promise((r) => setTimeout(r, 2500));
  // What the database holds right before the fault: a restart must never show less.
  const storedBefore = new Map(
    (await ctx.deps.models.WatchProgress.find({ titleId: film.id }).lean()).map((r) => [String(r.profileId), r.positionSec] as const),
  );
  const faultAt = Date.now();
  stop = true;
  await fault();
  await Promise.all(loops);
  await eventually(async () => (await request(ctx.app).get("/ready")).status === 200, 20_000);
  const recovered = new Map<string, number>();
  for (const v of viewers) recovered.set(v.profileId, (await getResumePoint(ctx.deps, v.profileId, film.id, "main"))?.positionSec ?? 0);
  return { viewers, acks, recovered, storedBefore, faultAt };
}

describe("Redis and progress saves", () => {
  it("a graceful Redis restart loses no acknowledged save and no session", async () => {
    const { viewers, acks, recovered } = await saveUnder(async () => {
      await redis.stop();
      redis = await startRedis({ dir, port: redis.port });
    });

    for (const v of viewers) expect(recovered.get(v.profileId)).toBe(acks.get(v.profileId)!.at(-1)!.position);
    for (const v of viewers) expect((await v.agent.get("/browse")).status).toBe(200);
  }, 60_000);

  it("a kill -9 loses only saves acknowledged within the fsync window, and no position moves back", async () => {
    const { viewers, acks, recovered, storedBefore, faultAt } = await saveUnder(async () => {
      await redis.kill();
      redis = await startRedis({ dir, port: redis.port });
    });

    let lost = 0;
    for (const v of viewers) {
      const got = recovered.get(v.profileId)!;
      const durable = acks.get(v.profileId)!.filter((a) => a.at < faultAt - FSYNC_BOUND_MS);
      expect(got).toBeGreaterThanOrEqual(durable.at(-1)?.position ?? 0);
      expect(got).toBeGreaterThanOrEqual(storedBefore.get(v.profileId) ?? 0);
      lost += acks.get(v.profileId)!.filter((a) => a.position > got).length;
    }
    // Sessions made seconds before the kill are in the file.
    for (const v of viewers) expect((await v.agent.get("/browse")).status).toBe(200);
    console.info(`redis kill -9: ${lost} acknowledged saves lost of ${[...acks.values()].flat().length}`);
  }, 60_000);
});
