// Buffered progress rows in Redis and their writes to MongoDB: keys, encoding, reads and the
// conditional write both the buffer's flush and "remove from row" use. Stateless.
import { createHash } from "node:crypto";
import { Types } from "mongoose";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";

// Keys carry the database name: apps on different databases may share one Redis (tests do).
type KeyDeps = Pick<Deps, "models">;
export const space = (deps: KeyDeps) => `progress:${deps.models.WatchProgress.db.name}`;
export const rowsKey = (deps: KeyDeps, profileId: string) => `${space(deps)}:rows:${profileId}`;
export const dirtyKey = (deps: KeyDeps) => `${space(deps)}:dirty`;
export const playsKey = (deps: KeyDeps) => `${space(deps)}:plays`;
/** Rows a flush has taken (score: when), until their database write is done. */
export const inflightKey = (deps: KeyDeps) => `${space(deps)}:inflight`;
// Buffered rows outlive their flush by this long, so late stale saves still meet the newer value.
export const ROWS_TTL_SEC = 2 * 86_400;

export interface BufferedRow {
  titleId: string;
  episodeKey: string;
  clientTs: number;
  positionSec: number;
  durationSec: number;
  completed: boolean;
  savedAt: Date;
}

export const encode = (r: BufferedRow) => [r.clientTs, r.positionSec, r.durationSec, r.completed ? 1 : 0, r.savedAt.getTime()].join("|");

export function decode(field: string, value: string): BufferedRow {
  const [titleId = "", episodeKey = ""] = field.split(":");
  const [ts, pos, dur, done, at] = value.split("|").map(Number);
  return { titleId, episodeKey, clientTs: ts!, positionSec: pos!, durationSec: dur!, completed: done === 1, savedAt: new Date(at!) };
}

/** Everything buffered for a profile (recent saves, flushed or not). */
export async function bufferedRows(deps: Pick<Deps, "models" | "redis">, profileId: string): Promise<BufferedRow[]> {
  const all = await deps.redis.hgetall(rowsKey(deps, profileId));
  return Object.entries(all).map(([field, value]) => decode(field, value));
}

/** What is buffered for a profile, as a version: it changes with every buffered save. */
export async function bufferVersion(deps: Pick<Deps, "models" | "redis">, profileId: string): Promise<string> {
  const all = Object.entries(await deps.redis.hgetall(rowsKey(deps, profileId)));
  if (all.length === 0) return "-";
  return createHash("sha256")
    .update(all.sort(([a], [b]) => (a < b ? -1 : 1)).join(";"))
    .digest("base64url");
}

export async function bufferedRow(deps: Pick<Deps, "models" | "redis">, profileId: string, titleId: string, episodeKey: string): Promise<BufferedRow | null> {
  const value = await deps.redis.hget(rowsKey(deps, profileId), `${titleId}:${episodeKey}`);
  return value ? decode(`${titleId}:${episodeKey}`, value) : null;
}

/**
 * A row's _id follows from its key, so a row is read and written by _id: a write by primary key
 * is the cheapest on both servers (on FerretDB it also skips the secondary-index lookup).
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

export async function dropBuffered(deps: Pick<Deps, "models" | "redis">, profileIds: string[]): Promise<void> {
  if (profileIds.length) await deps.redis.del(...profileIds.map((id) => rowsKey(deps, id)));
}
