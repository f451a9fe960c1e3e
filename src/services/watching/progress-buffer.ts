// The progress write buffer. A save lands in Redis first, through one atomic compare-and-set on
// the player's timestamp, and is written to MongoDB in batches shortly after (several saves of
// the same row collapse into one write). Reads merge both, so a save is visible at once.
// Why: writes to the document store are the scarce resource (FerretDB serializes them); the
// player saves every 10 s per viewer, which at scale is far more writes than reads.
import { createHash } from "node:crypto";
import { Types } from "mongoose";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import type { Redis } from "../../lib/redis.js";
import { recordPlay } from "../catalog/index.js";

// Keys carry the database name: apps on different databases may share one Redis (tests do).
type KeyDeps = Pick<Deps, "models">;
const space = (deps: KeyDeps) => `progress:${deps.models.WatchProgress.db.name}`;
const rowsKey = (deps: KeyDeps, profileId: string) => `${space(deps)}:rows:${profileId}`;
const dirtyKey = (deps: KeyDeps) => `${space(deps)}:dirty`;
const playsKey = (deps: KeyDeps) => `${space(deps)}:plays`;
// Buffered rows outlive their flush by this long, so late stale saves still meet the newer value.
const ROWS_TTL_SEC = 2 * 86_400;
const FLUSH_BATCH = 500;

export interface BufferedRow {
  titleId: string;
  episodeKey: string;
  clientTs: number;
  positionSec: number;
  durationSec: number;
  completed: boolean;
  savedAt: Date;
}

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

type ScriptedRedis = Redis & {
  progressSave(
    rows: string,
    dirty: string,
    mark: string,
    plays: string,
    field: string,
    ts: string,
    value: string,
    ttl: string,
    member: string,
    markTtl: string,
    playField: string,
  ): Promise<number>;
};
const scripted = new WeakSet<Redis>();
function withScript(redis: Redis): ScriptedRedis {
  if (!scripted.has(redis)) {
    redis.defineCommand("progressSave", { numberOfKeys: 4, lua: SAVE_SCRIPT });
    scripted.add(redis);
  }
  return redis as ScriptedRedis;
}

const encode = (r: BufferedRow) => [r.clientTs, r.positionSec, r.durationSec, r.completed ? 1 : 0, r.savedAt.getTime()].join("|");

function decode(field: string, value: string): BufferedRow {
  const [titleId = "", episodeKey = ""] = field.split(":");
  const [ts, pos, dur, done, at] = value.split("|").map(Number);
  return { titleId, episodeKey, clientTs: ts!, positionSec: pos!, durationSec: dur!, completed: done === 1, savedAt: new Date(at!) };
}

type BufferDeps = Pick<Deps, "models" | "redis" | "logger" | "clock" | "config">;

// A profile's first save of a title each day counts one play (Top 10, Trending).
const PLAY_MARK_TTL_SEC = 2 * 86_400;

/**
 * Buffers a save unless a newer one is already buffered, counts the day's first play, and
 * schedules the write to MongoDB. One round trip to Redis.
 */
export async function bufferSave(deps: BufferDeps, profileId: string, row: BufferedRow, day: string): Promise<boolean> {
  const field = `${row.titleId}:${row.episodeKey}`;
  const stored = await withScript(deps.redis).progressSave(
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
  if (stored > 0) scheduleFlush(deps);
  return stored > 0;
}

/** Everything buffered for a profile (recent saves, flushed or not). */
export async function bufferedRows(deps: Pick<Deps, "models" | "redis">, profileId: string): Promise<BufferedRow[]> {
  const all = await deps.redis.hgetall(rowsKey(deps, profileId));
  return Object.entries(all).map(([field, value]) => decode(field, value));
}

export async function bufferedRow(deps: Pick<Deps, "models" | "redis">, profileId: string, titleId: string, episodeKey: string): Promise<BufferedRow | null> {
  const value = await deps.redis.hget(rowsKey(deps, profileId), `${titleId}:${episodeKey}`);
  return value ? decode(`${titleId}:${episodeKey}`, value) : null;
}

/**
 * A row's _id follows from its key, so a row is read and written by _id: FerretDB answers
 * _id lookups from its primary key and scans the collection for any other filter.
 */
export function progressRowId(profileId: string, titleId: string, episodeKey: string): Types.ObjectId {
  return new Types.ObjectId(createHash("sha256").update(`${profileId}|${titleId}|${episodeKey}`).digest("hex").slice(0, 24));
}

/**
 * Writes buffered rows with the same timestamp condition as a direct save: an older row never
 * overwrites a newer one, and a duplicate key on the upsert means "a newer row is stored".
 * One update per row, in sequence: FerretDB runs writes one at a time anyway, and its multi-
 * statement updates (bulkWrite) are far slower than single ones there.
 */
export async function writeRows(deps: Pick<Deps, "models">, rows: { profileId: string; row: BufferedRow }[], pause?: () => Promise<void>): Promise<void> {
  for (const [i, { profileId, row }] of rows.entries()) {
    if (pause && i > 0) await pause();
    // profileId is implied by _id; naming it lets the write report its owner (models/write-hooks).
    const filter = { _id: progressRowId(profileId, row.titleId, row.episodeKey), profileId, clientTs: op({ $lt: row.clientTs }) };
    const update = {
      $setOnInsert: { titleId: row.titleId, episodeKey: row.episodeKey },
      $set: {
        positionSec: row.positionSec,
        durationSec: row.durationSec,
        completed: row.completed,
        clientTs: row.clientTs,
        lastWatchedAt: row.savedAt,
        hiddenFromRow: false,
      },
    };
    try {
      await deps.models.WatchProgress.updateOne(filter, update, { upsert: true });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // Either a newer row is stored (stale: nothing to do) or another flush inserted the row
      // first: apply ours if it is the newer one.
      await deps.models.WatchProgress.updateOne(filter, update);
    }
  }
}

/** Moves the counted plays into titlestats (through the catalog's counter). */
async function flushPlays(deps: BufferDeps, spread = false): Promise<number> {
  const key = playsKey(deps);
  const claimed = `${key}:claimed:${Date.now()}:${Math.random().toString(36).slice(2)}`;
  // RENAME claims every count at once; new plays start a fresh hash meanwhile.
  const moved = await deps.redis.rename(key, claimed).then(
    () => true,
    () => false, // nothing counted since the last flush
  );
  if (!moved) return 0;
  const counts = await deps.redis.hgetall(claimed);
  const pause = spread ? pauses(deps, Object.keys(counts).length) : undefined;
  let done = 0;
  try {
    for (const [field, n] of Object.entries(counts)) {
      if (pause && done > 0) await pause();
      const [day = "", titleId = ""] = field.split("|");
      await recordPlay(deps, titleId, day, Number(n));
      await deps.redis.hdel(claimed, field);
      done += 1;
    }
    await deps.redis.del(claimed);
  } catch (err) {
    // Put back what was not recorded; the next flush tries again.
    const rest = await deps.redis.hgetall(claimed).catch(() => ({}));
    for (const [field, n] of Object.entries(rest)) await deps.redis.hincrby(key, field, Number(n)).catch(() => undefined);
    await deps.redis.del(claimed).catch(() => undefined);
    throw err;
  }
  return done;
}

// Background flushes spread their writes over half the flush delay, so a batch never reaches the
// database at once and starves request handling of CPU (FerretDB shares the web's cores here;
// a busy MongoDB would queue the same way). A flush that must finish now (shutdown, the worker's
// job, flushAllBuffered) raises `hurrying` and every pause ends at once.
const hurrying = new WeakMap<Redis, number>();

function pauses(deps: BufferDeps, writes: number): (() => Promise<void>) | undefined {
  if (writes < 2) return undefined;
  const gapMs = deps.config.progress.flushDelayMs / 2 / writes;
  return () => (hurrying.get(deps.redis) ? Promise.resolve() : new Promise((r) => setTimeout(r, gapMs)));
}

/**
 * Moves up to `max` buffered rows (and the counted plays) to MongoDB; returns how many were
 * claimed. `spread` paces the writes (the background flush); callers waiting on it do not.
 */
export async function flushProgress(deps: BufferDeps, max = FLUSH_BATCH, opts: { spread?: boolean } = {}): Promise<number> {
  const plays = await flushPlays(deps, opts.spread);
  const members = ((await deps.redis.spop(dirtyKey(deps), max)) as string[] | null) ?? [];
  if (members.length === 0) return plays;
  const parsed = members.map((m) => {
    const [profileId = "", field = ""] = m.split("|");
    return { profileId, field };
  });
  const pipeline = deps.redis.pipeline();
  for (const p of parsed) pipeline.hget(rowsKey(deps, p.profileId), p.field);
  const values = ((await pipeline.exec()) ?? []).map(([, v]) => v as string | null);
  const pending = parsed.flatMap((p, i) => (values[i] ? [{ profileId: p.profileId, row: decode(p.field, values[i]) }] : []));
  try {
    // A profile deleted since its save keeps no rows: its buffered rows were dropped with it.
    const ids = [...new Set(pending.map((p) => p.profileId))];
    const live = new Set((await deps.models.Profile.find({ _id: op({ $in: ids }) }, { _id: 1 }).lean()).map((p) => String(p._id)));
    const rows = pending.filter((p) => live.has(p.profileId));
    await writeRows(deps, rows, opts.spread ? pauses(deps, rows.length) : undefined);
  } catch (err) {
    await deps.redis.sadd(dirtyKey(deps), ...members).catch(() => undefined);
    throw err;
  }
  return members.length + plays;
}

/**
 * Writes everything buffered now, batch after batch: the worker's safety net for saves whose
 * web process stopped before its own flush, and the last step of a graceful shutdown.
 */
export async function flushAllBuffered(deps: BufferDeps, maxBatches = 100): Promise<number> {
  hurrying.set(deps.redis, (hurrying.get(deps.redis) ?? 0) + 1);
  try {
    await flushesSettled(deps);
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const claimed = await flushProgress(deps);
      if (claimed === 0) break;
      total += claimed;
    }
    return total;
  } finally {
    hurrying.set(deps.redis, hurrying.get(deps.redis)! - 1);
  }
}

/** Writes one profile's buffered rows of one title now (before hiding it from a row). */
export async function flushTitle(deps: Pick<Deps, "models" | "redis">, profileId: string, titleId: string): Promise<number> {
  const rows = (await bufferedRows(deps, profileId)).filter((r) => r.titleId === titleId);
  await writeRows(
    deps,
    rows.map((row) => ({ profileId, row })),
  );
  if (rows.length) await deps.redis.hdel(rowsKey(deps, profileId), ...rows.map((r) => `${r.titleId}:${r.episodeKey}`));
  return rows.length;
}

export async function dropBuffered(deps: Pick<Deps, "models" | "redis">, profileIds: string[]): Promise<void> {
  if (profileIds.length) await deps.redis.del(...profileIds.map((id) => rowsKey(deps, id)));
}

// One pending flush per process and Redis client; it re-arms itself while rows keep coming.
const timers = new WeakMap<Redis, NodeJS.Timeout>();
const running = new WeakMap<Redis, Promise<void>>();

/**
 * One background flush per flush delay across all web processes: the first to take the lease
 * flushes every dirty row, whoever saved it. The others keep their timers, so when the lease
 * holder stops, the next one takes over within a delay (and the worker's job catches the rest).
 */
async function takeFlushLease(deps: BufferDeps): Promise<boolean> {
  const won = await deps.redis.set(`${space(deps)}:flush-lease`, String(process.pid), "PX", deps.config.progress.flushDelayMs, "NX");
  return won === "OK";
}

function scheduleFlush(deps: BufferDeps): void {
  if (timers.has(deps.redis)) return;
  const timer = setTimeout(() => {
    const run = takeFlushLease(deps)
      .then(async (leader) => (leader ? flushProgress(deps, FLUSH_BATCH, { spread: true }) : -1))
      .then(
        (claimed) => {
          timers.delete(deps.redis);
          // -1: another process holds the lease; keep watching in case it stops.
          if (claimed !== 0) scheduleFlush(deps);
        },
        (err: unknown) => {
          timers.delete(deps.redis);
          deps.logger.warn({ err: (err as Error).message }, "progress flush failed; rows stay buffered for the next one");
        },
      );
    running.set(deps.redis, run);
    void run.finally(() => running.delete(deps.redis));
    // Saves are in Redis and visible to reads at once; the delay (PROGRESS_FLUSH_DELAY_MS) lets
    // every save of a row within it collapse into one database write.
  }, deps.config.progress.flushDelayMs);
  timer.unref();
  timers.set(deps.redis, timer);
}

/** Resolves when this process has no flush in progress (tests read the database after it). */
export async function flushesSettled(deps: Pick<Deps, "redis">): Promise<void> {
  await running.get(deps.redis);
}
