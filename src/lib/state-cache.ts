// Per-owner state cached in Redis and checked against version tokens on every read: the signed-in
// user, a profile's My List and ratings, its stored watch progress, a user's unread count. Pages
// read these on every request; one Redis round trip replaces the database queries.
//
// Every write to an owner's data sets a fresh random token (touchState) after the write. A read
// fetches the scope's token, the owner's token and the cached copy in one MGET, and the copy
// counts only when it was stored under both current tokens. A loader that raced a write stores
// its copy under the token it read before loading, so the copy is already stale when it lands:
// no write is ever hidden by the cache. Tokens are random, not counters, so an evicted token can
// never come back and match an old copy. When Redis fails, reads go to the source.
import { randomBytes } from "node:crypto";
import type { CacheDeps } from "./cache.js";

export interface StateScope<T, Stored = T> {
  /** Metric label and key part: "user", "title-state", ... */
  name: string;
  /** The longest a copy lives: the bound on staleness should a token write ever fail. */
  ttlSeconds: number;
  /** Plain JSON for Redis and back (Dates, Sets and Maps do not survive JSON on their own). */
  toStored?: (value: T) => Stored;
  fromStored?: (stored: Stored) => T;
}

const tokenKey = (scope: string, owner: string | null) => `state:${scope}:${owner ?? "*"}:v`;
const valueKey = (scope: string, owner: string) => `state:${scope}:${owner}`;
const versionOf = (all: string | null | undefined, mine: string | null | undefined) => `${all ?? "-"}/${mine ?? "-"}`;

export interface StateRead<T, Stored = T> {
  scope: StateScope<T, Stored>;
  owner: string;
  load: () => Promise<T>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRead = StateRead<any, any>;
type ValuesOf<R extends readonly AnyRead[]> = { -readonly [K in keyof R]: R[K] extends StateRead<infer T, infer _S> ? T : never };

/**
 * The versions of the state a request has read, in order, for keys of what is built from it (a
 * whole page): each value read is at least as new as the version noted for it, so a thing keyed
 * by these versions is rebuilt after any later write. UNVERSIONED marks a read that had none.
 */
export type SeenVersions = string[];
export const UNVERSIONED = "!";

export async function cachedState<T, Stored = T>(
  deps: CacheDeps,
  scope: StateScope<T, Stored>,
  owner: string,
  load: () => Promise<T>,
  seen?: SeenVersions,
): Promise<T> {
  const [value] = await cachedStates(deps, [{ scope, owner, load }] as const, seen);
  return value;
}

/** Several owners' state read together: one MGET for all their tokens and copies. */
export async function cachedStates<const R extends readonly AnyRead[]>(deps: CacheDeps, reads: R, seen?: SeenVersions): Promise<ValuesOf<R>> {
  let found: (string | null)[];
  try {
    found = await deps.redis.mget(reads.flatMap((r) => [tokenKey(r.scope.name, null), tokenKey(r.scope.name, r.owner), valueKey(r.scope.name, r.owner)]));
  } catch (err) {
    seen?.push(UNVERSIONED);
    for (const r of reads) {
      deps.cache.requests.inc({ cache: r.scope.name, result: "error" });
      deps.logger.warn({ cache: r.scope.name, err: (err as Error)?.message }, "state cache unavailable; using the source");
    }
    return (await Promise.all(reads.map((r) => r.load()))) as ValuesOf<R>;
  }
  // Tokens read before any load below: what is loaded is at least this new.
  seen?.push(...reads.map((r, i) => `${r.scope.name}:${r.owner}=${versionOf(found[3 * i], found[3 * i + 1])}`));
  return (await Promise.all(reads.map((r, i) => fromCopy(deps, r, found[3 * i], found[3 * i + 1], found[3 * i + 2])))) as ValuesOf<R>;
}

/**
 * The current versions of owners' state without their copies, noted in `seen` (see SeenVersions):
 * read before the state itself is, for things built from state read later. One MGET; on a
 * Redis failure `seen` is marked UNVERSIONED.
 */
export async function noteStateVersions(
  deps: Pick<CacheDeps, "redis">,
  reads: readonly { scope: { name: string }; owner: string }[],
  seen: SeenVersions,
): Promise<void> {
  try {
    const found = await deps.redis.mget(reads.flatMap((r) => [tokenKey(r.scope.name, null), tokenKey(r.scope.name, r.owner)]));
    seen.push(...reads.map((r, i) => `${r.scope.name}:${r.owner}=${versionOf(found[2 * i], found[2 * i + 1])}`));
  } catch {
    seen.push(UNVERSIONED);
  }
}

async function fromCopy<T, Stored>(
  deps: CacheDeps,
  read: StateRead<T, Stored>,
  all: string | null | undefined,
  mine: string | null | undefined,
  raw: string | null | undefined,
): Promise<T> {
  const { scope, owner } = read;
  const version = versionOf(all, mine);
  if (raw) {
    try {
      const entry = JSON.parse(raw) as { v: string; d: Stored };
      if (entry.v === version) {
        deps.cache.requests.inc({ cache: scope.name, result: "hit" });
        return scope.fromStored ? scope.fromStored(entry.d) : (entry.d as unknown as T);
      }
    } catch {
      // A corrupt copy is a miss; the write below replaces it.
    }
  }
  deps.cache.requests.inc({ cache: scope.name, result: "miss" });
  // Requests that miss the same owner's copy under the same tokens share one load: a returning
  // viewer's first page fires several requests at once, and each load may scan a collection.
  const flightKey = `${valueKey(scope.name, owner)}@${version}`;
  let pending = deps.cache.stateLoads.get(flightKey) as Promise<T> | undefined;
  if (!pending) {
    pending = loadAndStore(deps, read, version);
    deps.cache.stateLoads.set(flightKey, pending);
    void pending.then(
      () => deps.cache.stateLoads.delete(flightKey),
      () => deps.cache.stateLoads.delete(flightKey),
    );
  }
  return pending;
}

async function loadAndStore<T, Stored>(deps: CacheDeps, read: StateRead<T, Stored>, version: string): Promise<T> {
  const { scope, owner } = read;
  const value = await read.load();
  const stored = scope.toStored ? scope.toStored(value) : value;
  await deps.redis.set(valueKey(scope.name, owner), JSON.stringify({ v: version, d: stored }), "EX", scope.ttlSeconds).catch((err: unknown) => {
    deps.logger.warn({ cache: scope.name, err: (err as Error)?.message }, "state cache write failed");
  });
  return value;
}

/**
 * Marks owners' state changed, after the write: `owners` null changes every owner of the scope
 * (a write whose filter names no single owner). A failed token write is logged; the copy then
 * lives at most the scope's TTL.
 */
export async function touchState(deps: CacheDeps, scope: { name: string; ttlSeconds: number }, owners: readonly string[] | null): Promise<void> {
  const keys = owners === null ? [tokenKey(scope.name, null)] : [...new Set(owners)].map((o) => tokenKey(scope.name, o));
  if (keys.length === 0) return;
  try {
    const pipeline = deps.redis.pipeline();
    // Outlives every copy stored under it; a token that expired reads as "-", which no copy stored since carries.
    for (const key of keys) pipeline.set(key, randomBytes(9).toString("base64url"), "EX", scope.ttlSeconds * 2);
    await pipeline.exec();
  } catch (err) {
    deps.logger.warn({ cache: scope.name, err: (err as Error)?.message }, "state cache token write failed; cached copies expire by TTL");
  }
}

/**
 * Deletes owners' cached copies and tokens outright. Erasure needs this: a copy made stale by a
 * write is never read again but would still sit in Redis, personal data and all, until its TTL.
 */
export async function dropState(deps: Pick<CacheDeps, "redis">, scope: { name: string }, owners: readonly string[]): Promise<void> {
  if (owners.length === 0) return;
  await deps.redis.del(...owners.flatMap((o) => [valueKey(scope.name, o), tokenKey(scope.name, o)]));
}
