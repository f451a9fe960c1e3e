// The progress write buffer. A save lands in Redis first, through one atomic compare-and-set on
// the player's timestamp, and is written to MongoDB in batches shortly after (several saves of
// the same row collapse into one write). Reads merge both, so a save is visible at once.
// Why: writes to the document store are the scarce resource (FerretDB serializes them); the
// player saves every 10 s per viewer, which at scale is far more writes than reads.
//
// A flush never holds the only record of a save: it moves a row's "needs writing" mark from the
// dirty set to the in-flight set in one script and removes it only after the database write. A
// process killed in between leaves the mark in flight, and any process's next flush takes it
// over once it is older than PROGRESS_INFLIGHT_STALE_MS.
import type { Deps } from "../../deps.js";
import { op } from "../../lib/db.js";
import type { Redis } from "../../lib/redis.js";
import { recordPlay } from "../catalog/index.js";
import { decode, dirtyKey, encode, inflightKey, playsKey, ROWS_TTL_SEC, rowsKey, space, writeRows, type BufferedRow } from "./progress-rows.js";

const FLUSH_BATCH = 500;
// A profile's first save of a title each day counts one play (Top 10, Trending).
const PLAY_MARK_TTL_SEC = 2 * 86_400;

// KEYS: rows hash, dirty set, played-today mark, play counts.
// ARGV: field, client ts, value, ttl, dirty member, mark ttl, play-count field.
// Stores the value only when its timestamp is newer than the buffered one, and counts a play on
// the first stored save of the day. Returns 0 (stale), 1 (stored) or 2 (stored, play counted).
const SAVE_SCRIPT = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local ts = tonumber(string.match(cur, '^[^|]+'))
  if ts >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('SADD', KEYS[2], ARGV[5])
if redis.call('SET', KEYS[3], '1', 'EX', tonumber(ARGV[6]), 'NX') then
  redis.call('HINCRBY', KEYS[4], ARGV[7], 1)
  return 2
end
return 1`;

// KEYS: dirty set, in-flight sorted set. ARGV: now (ms), stale-before (ms), max.
// Takes over in-flight marks older than stale-before (their flush died), then moves up to `max`
// dirty marks into flight; both stamped `now`. Returns the members taken.
const CLAIM_SCRIPT = `
local max = tonumber(ARGV[3])
local taken = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2], 'LIMIT', 0, max)
for _, m in ipairs(taken) do redis.call('ZADD', KEYS[2], ARGV[1], m) end
if #taken < max then
  local fresh = redis.call('SPOP', KEYS[1], max - #taken)
  for _, m in ipairs(fresh) do
    redis.call('ZADD', KEYS[2], ARGV[1], m)
    table.insert(taken, m)
  end
end
return taken`;

// KEYS: rows hash. ARGV: field, value read. Deletes the field only if it still holds that value,
// so a save that arrived after the read survives.
const DELETE_IF_SAME_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

type ScriptedRedis = Redis & {
  progressSave(...args: string[]): Promise<number>;
  progressClaim(dirty: string, inflight: string, now: string, staleBefore: string, max: string): Promise<string[]>;
  progressDeleteIfSame(rows: string, field: string, value: string): Promise<number>;
};

type BufferDeps = Pick<Deps, "models" | "redis" | "logger" | "clock" | "config" | "cache">;

export interface ProgressBuffer {
  /** Buffers a save unless a newer one is buffered; counts the day's first play. One round trip. */
  save(profileId: string, row: BufferedRow, day: string): Promise<boolean>;
  /** Writes up to `max` rows (and the counted plays); returns how many were taken. */
  flush(max?: number, opts?: { spread?: boolean }): Promise<number>;
  /** Writes everything buffered now, batch after batch (the worker's job, shutdown). */
  flushAll(maxBatches?: number): Promise<number>;
  /** Writes one profile's buffered rows of a title now and drops them from the buffer. */
  flushTitle(profileId: string, titleId: string): Promise<number>;
  /** Resolves when this process has no background flush in progress. */
  settled(): Promise<void>;
  /** Stops the background timer and waits for a running flush. */
  close(): Promise<void>;
}

export function createProgressBuffer(deps: BufferDeps): ProgressBuffer {
  const redis = deps.redis as ScriptedRedis;
  redis.defineCommand("progressSave", { numberOfKeys: 4, lua: SAVE_SCRIPT });
  redis.defineCommand("progressClaim", { numberOfKeys: 2, lua: CLAIM_SCRIPT });
  redis.defineCommand("progressDeleteIfSame", { numberOfKeys: 1, lua: DELETE_IF_SAME_SCRIPT });
  const { flushDelayMs, inflightStaleMs } = deps.config.progress;

  // One pending background flush per buffer; it re-arms itself while rows keep coming.
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  // Raised by flushes that must finish now (shutdown, the worker's job): every pause ends at once.
  let hurrying = 0;
  let closed = false;

  // Background flushes spread their writes over half the flush delay, so a batch never reaches
  // the database at once and starves request handling of CPU.
  function pauses(writes: number): (() => Promise<void>) | undefined {
    if (writes < 2) return undefined;
    const gapMs = flushDelayMs / 2 / writes;
    return () => (hurrying ? Promise.resolve() : new Promise((r) => setTimeout(r, gapMs)));
  }

  /** Moves the counted plays into titlestats (through the catalog's counter). */
  async function flushPlays(spread: boolean): Promise<number> {
    const key = playsKey(deps);
    const claimed = `${key}:claimed:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    // RENAME claims every count at once; new plays start a fresh hash meanwhile.
    const moved = await redis.rename(key, claimed).then(
      () => true,
      () => false, // nothing counted since the last flush
    );
    if (!moved) return 0;
    const counts = await redis.hgetall(claimed);
    const pause = spread ? pauses(Object.keys(counts).length) : undefined;
    let done = 0;
    try {
      for (const [field, n] of Object.entries(counts)) {
        if (pause && done > 0) await pause();
        const [day = "", titleId = ""] = field.split("|");
        await recordPlay(deps, titleId, day, Number(n));
        await redis.hdel(claimed, field);
        done += 1;
      }
      await redis.del(claimed);
    } catch (err) {
      // Put back what was not recorded; the next flush tries again.
      const rest = await redis.hgetall(claimed).catch(() => ({}));
      for (const [field, n] of Object.entries(rest)) await redis.hincrby(key, field, Number(n)).catch(() => undefined);
      await redis.del(claimed).catch(() => undefined);
      throw err;
    }
    return done;
  }

  async function flush(max = FLUSH_BATCH, opts: { spread?: boolean } = {}): Promise<number> {
    const plays = await flushPlays(Boolean(opts.spread));
    const now = Date.now();
    const members = await redis.progressClaim(dirtyKey(deps), inflightKey(deps), String(now), String(now - inflightStaleMs), String(max));
    if (members.length === 0) return plays;
    const parsed = members.map((m) => {
      const [profileId = "", field = ""] = m.split("|");
      return { profileId, field };
    });
    const pipeline = redis.pipeline();
    for (const p of parsed) pipeline.hget(rowsKey(deps, p.profileId), p.field);
    const values = ((await pipeline.exec()) ?? []).map(([, v]) => v as string | null);
    const pending = parsed.flatMap((p, i) => (values[i] ? [{ profileId: p.profileId, row: decode(p.field, values[i]) }] : []));
    try {
      // A profile deleted since its save keeps no rows: its buffered rows were dropped with it.
      const ids = [...new Set(pending.map((p) => p.profileId))];
      const live = new Set((await deps.models.Profile.find({ _id: op({ $in: ids }) }, { _id: 1 }).lean()).map((p) => String(p._id)));
      const rows = pending.filter((p) => live.has(p.profileId));
      await writeRows(deps, rows, opts.spread ? pauses(rows.length) : undefined);
    } catch (err) {
      // Back to dirty for the next flush (the in-flight mark would be taken over later anyway).
      await redis
        .multi()
        .sadd(dirtyKey(deps), ...members)
        .zrem(inflightKey(deps), ...members)
        .exec()
        .catch(() => undefined);
      throw err;
    }
    // Written: only now may the marks go. A save of the same row since the claim marked it dirty
    // again, so it is flushed next time.
    await redis.zrem(inflightKey(deps), ...members);
    return members.length + plays;
  }

  /**
   * One background flush per flush delay across all web processes: the first to take the lease
   * flushes every dirty row, whoever saved it. The others keep their timers, so when the lease
   * holder stops, the next one takes over within a delay (and the worker's job catches the rest).
   */
  async function takeFlushLease(): Promise<boolean> {
    const won = await redis.set(`${space(deps)}:flush-lease`, String(process.pid), "PX", flushDelayMs, "NX");
    return won === "OK";
  }

  function scheduleFlush(): void {
    if (timer || closed) return;
    // Saves are visible to reads at once; the delay lets every save of a row within it collapse
    // into one database write.
    timer = setTimeout(() => {
      const run = takeFlushLease()
        .then(async (leader) => (leader ? flush(FLUSH_BATCH, { spread: true }) : -1))
        .then(
          (claimed) => {
            timer = null;
            // -1: another process holds the lease; keep watching in case it stops.
            if (claimed !== 0) scheduleFlush();
          },
          (err: unknown) => {
            timer = null;
            deps.logger.warn({ err: (err as Error).message }, "progress flush failed; rows stay buffered for the next one");
          },
        );
      running = run.finally(() => (running = null));
    }, flushDelayMs);
    timer.unref();
  }

  return {
    async save(profileId, row, day) {
      const field = `${row.titleId}:${row.episodeKey}`;
      const stored = await redis.progressSave(
        rowsKey(deps, profileId),
        dirtyKey(deps),
        `${space(deps)}:played:${day}:${profileId}:${row.titleId}`,
        playsKey(deps),
        field,
        String(row.clientTs),
        encode(row),
        String(ROWS_TTL_SEC),
        `${profileId}|${field}`,
        String(PLAY_MARK_TTL_SEC),
        `${day}|${row.titleId}`,
      );
      if (stored > 0) scheduleFlush();
      return stored > 0;
    },

    flush,

    async flushAll(maxBatches = 100) {
      hurrying += 1;
      try {
        await running;
        let total = 0;
        for (let i = 0; i < maxBatches; i++) {
          const claimed = await flush();
          if (claimed === 0) break;
          total += claimed;
        }
        return total;
      } finally {
        hurrying -= 1;
      }
    },

    async flushTitle(profileId, titleId) {
      const key = rowsKey(deps, profileId);
      const read = Object.entries(await redis.hgetall(key)).filter(([field]) => field.startsWith(`${titleId}:`));
      await writeRows(
        deps,
        read.map(([field, value]) => ({ profileId, row: decode(field, value) })),
      );
      // Only the values written leave the buffer: a save that arrived meanwhile stays.
      for (const [field, value] of read) await redis.progressDeleteIfSame(key, field, value);
      return read.length;
    },

    async settled() {
      await running;
    },

    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

// Entry points by deps, for callers that hold a Deps (jobs, shutdown, tests, benchmarks).
export const flushAllBuffered = (deps: Pick<Deps, "progress">) => deps.progress.flushAll();
export const flushesSettled = (deps: Pick<Deps, "progress">) => deps.progress.settled();
export const flushProgress = (deps: Pick<Deps, "progress">, max?: number) => deps.progress.flush(max);
