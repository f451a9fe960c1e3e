// Redis cache-aside with hit/miss/error counters on /metrics. A failing Redis makes reads slower, never fail.
import { LRUCache } from "lru-cache";
import client from "prom-client";
import type { Logger } from "./logger.js";
import type { Redis } from "./redis.js";

/**
 * What the caches keep in this process, built once per set of deps (deps.ts) and owned by it:
 * reused generations, values of generation namespaces, loads in flight, the hit/miss counter.
 */
export interface CacheState {
  generations: Map<string, { value: Promise<string | null>; until: number }>;
  /** Values of generation namespaces (rows, details): their keys carry the generation. */
  inProcess: LRUCache<string, { value: unknown }>;
  /** Many small values by id (title cards), apart so thousands of cards never push the few big rows out. */
  many: LRUCache<string, { value: unknown }>;
  /** Loads in flight by key: concurrent misses of one key share one load. */
  loading: Map<string, Promise<unknown>>;
  /** The same for per-owner state (lib/state-cache). */
  stateLoads: Map<string, Promise<unknown>>;
  /** Outside production shared values are frozen when stored (see deepFreeze). */
  freezeShared: boolean;
  requests: client.Counter<"cache" | "result">;
}

export function createCacheState(opts: { freezeShared: boolean; requests: client.Counter<"cache" | "result"> }): CacheState {
  return {
    generations: new Map(),
    inProcess: new LRUCache({ max: 2000, ttlAutopurge: false }),
    many: new LRUCache({ max: 50_000, ttlAutopurge: false }),
    loading: new Map(),
    stateLoads: new Map(),
    freezeShared: opts.freezeShared,
    requests: opts.requests,
  };
}

export interface CacheDeps {
  redis: Redis;
  logger: Logger;
  cache: CacheState;
}

export interface CacheEntry {
  /** Metric label: which cache this is (catalog-rows, catalog-title, tmdb, ...). */
  cache: string;
  key: string;
  ttlSeconds: number;
}

const PREFIX = "cache:";

function failed(deps: CacheDeps, cache: string, op: string, err: unknown): void {
  deps.cache.requests.inc({ cache, result: "error" });
  deps.logger.warn({ cache, op, err: (err as Error)?.message }, "cache unavailable; using the source");
}

/**
 * Returns the cached value for `key`, or loads it and stores it for `ttlSeconds`. Values are
 * JSON, so loaders return plain data (no Dates, no documents). When Redis fails, the loader's
 * value is returned and nothing is written.
 */
export async function cacheAside<T>(deps: CacheDeps, entry: CacheEntry, load: () => Promise<T>): Promise<T> {
  const key = PREFIX + entry.key;
  let raw: string | null = null;
  let redisOk = true;
  try {
    raw = await deps.redis.get(key);
  } catch (err) {
    redisOk = false;
    failed(deps, entry.cache, "get", err);
  }
  if (raw !== null) {
    try {
      const value = JSON.parse(raw) as T;
      deps.cache.requests.inc({ cache: entry.cache, result: "hit" });
      return value;
    } catch {
      // A corrupt entry is a miss; the write below replaces it.
    }
  }
  if (redisOk) deps.cache.requests.inc({ cache: entry.cache, result: "miss" });
  const value = await load();
  if (redisOk && value !== undefined) {
    try {
      await deps.redis.set(key, JSON.stringify(value), "EX", entry.ttlSeconds);
    } catch (err) {
      failed(deps, entry.cache, "set", err);
    }
  }
  return value;
}

// How long a process reuses a generation it read. Every catalog read needs the generation, and
// under load that was one Redis round trip per request for a value that changes when an editor
// saves; now it is about one per process per interval. A bump on this process applies at once;
// other processes see it within the interval.
export const GENERATION_REUSE_MS = 250;
const generations = (deps: CacheDeps) => deps.cache.generations;

/**
 * A namespace's current generation. Keys built with it go stale all at once when the
 * generation is bumped, which is how a title edit invalidates every row that might show it.
 * Returns null when Redis cannot answer, and callers then skip the cache.
 */
export function namespaceGeneration(deps: CacheDeps, namespace: string): Promise<string | null> {
  const reused = generations(deps);
  const now = performance.now();
  const known = reused.get(namespace);
  if (known && known.until > now) return known.value;
  const value = readGeneration(deps, namespace);
  reused.set(namespace, { value, until: now + GENERATION_REUSE_MS });
  // A failed read is not reused: the next caller asks again.
  void value.then((gen) => gen === null && reused.get(namespace)?.value === value && reused.delete(namespace));
  return value;
}

async function readGeneration(deps: CacheDeps, namespace: string): Promise<string | null> {
  try {
    return (await deps.redis.get(`${PREFIX}${namespace}:gen`)) ?? "0";
  } catch (err) {
    // The label is the namespace's first part ("catalog"), keeping metric labels few.
    failed(deps, namespace.split(":")[0]!, "generation", err);
    return null;
  }
}

export async function bumpNamespace(deps: CacheDeps, namespace: string): Promise<void> {
  try {
    await deps.redis.incr(`${PREFIX}${namespace}:gen`);
  } catch (err) {
    // Entries expire by TTL anyway; the log line says why a change shows up late.
    failed(deps, namespace.split(":")[0]!, "bump", err);
  } finally {
    generations(deps).delete(namespace);
  }
}

// Values of generation namespaces also stay in this process (deps.cache.inProcess): their keys
// carry the generation, so an edit on any instance retires them as soon as this process reads the
// new one. The same object serves many requests: callers copy, never change, what they get.

// Outside production shared values are frozen when stored (deps.cache.freezeShared), so a caller
// that changes one fails its tests loudly. Production skips it: frozen objects and arrays take
// slower paths in V8 (the /browse benchmark halves with them).

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Cache-aside inside a generation namespace; runs the loader directly when Redis is away. */
export async function cacheInNamespace<T>(deps: CacheDeps, namespace: string, entry: CacheEntry, load: () => Promise<T>): Promise<T> {
  const gen = await namespaceGeneration(deps, namespace);
  if (gen === null) return load();
  const key = `${namespace}:${gen}:${entry.key}`;
  const local = deps.cache.inProcess.get(key);
  if (local) {
    deps.cache.requests.inc({ cache: entry.cache, result: "hit" });
    return local.value as T;
  }
  // Requests that miss the same key together share one load (no stampede on the database
  // when a popular entry expires under load).
  let pending = deps.cache.loading.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = cacheAside(deps, { ...entry, key }, load).then((value) => {
      deps.cache.inProcess.set(key, { value: deps.cache.freezeShared ? deepFreeze(value) : value }, { ttl: entry.ttlSeconds * 1000 });
      return value;
    });
    deps.cache.loading.set(key, pending);
    void pending.then(
      () => deps.cache.loading.delete(key),
      () => deps.cache.loading.delete(key),
    );
  }
  return pending;
}

/**
 * Values for many ids inside a generation namespace: this process's copy first, then one MGET to
 * Redis, then `loadMissing` for the rest (written back to both). The cost follows the number of
 * ids asked for, never the size of what they come from. Without Redis the loader answers all.
 */
export async function cacheManyInNamespace<T>(
  deps: CacheDeps,
  namespace: string,
  entry: { cache: string; keyPrefix: string; ttlSeconds: number },
  ids: readonly string[],
  loadMissing: (ids: string[]) => Promise<Map<string, T>>,
): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, T>();
  const gen = await namespaceGeneration(deps, namespace);
  if (gen === null) return loadMissing(unique);
  const keyOf = (id: string) => `${namespace}:${gen}:${entry.keyPrefix}:${id}`;
  let missing: string[] = [];
  for (const id of unique) {
    const local = deps.cache.many.get(keyOf(id));
    if (local) out.set(id, local.value as T);
    else missing.push(id);
  }
  if (missing.length > 0) {
    try {
      const raw = await deps.redis.mget(missing.map((id) => PREFIX + keyOf(id)));
      const still: string[] = [];
      missing.forEach((id, i) => {
        const value = raw[i];
        if (value === null || value === undefined) return void still.push(id);
        const parsed = JSON.parse(value) as { v: T };
        deps.cache.many.set(keyOf(id), { value: parsed.v }, { ttl: entry.ttlSeconds * 1000 });
        out.set(id, parsed.v);
      });
      missing = still;
    } catch (err) {
      failed(deps, entry.cache, "mget", err);
    }
  }
  deps.cache.requests.inc({ cache: entry.cache, result: "hit" }, unique.length - missing.length);
  if (missing.length === 0) return out;
  deps.cache.requests.inc({ cache: entry.cache, result: "miss" }, missing.length);
  const loaded = await loadMissing(missing);
  // Ids the loader did not find are stored as absent too, so probing for them stays cheap.
  const found = new Map(missing.map((id) => [id, (loaded.has(id) ? loaded.get(id) : null) as T]));
  for (const [id, value] of found) out.set(id, value);
  await storeMany(deps, entry, keyOf, found);
  return out;
}

/**
 * Stores values that another read already produced (the catalog index reads every card) under
 * the keys cacheManyInNamespace looks for, so later reads of them never reach the database.
 */
export async function primeManyInNamespace<T>(
  deps: CacheDeps,
  namespace: string,
  entry: { cache: string; keyPrefix: string; ttlSeconds: number },
  values: ReadonlyMap<string, T>,
): Promise<void> {
  const gen = await namespaceGeneration(deps, namespace);
  if (gen === null) return;
  await storeMany(deps, entry, (id) => `${namespace}:${gen}:${entry.keyPrefix}:${id}`, values);
}

async function storeMany<T>(deps: CacheDeps, entry: { cache: string; ttlSeconds: number }, keyOf: (id: string) => string, values: ReadonlyMap<string, T>) {
  const pipeline = deps.redis.pipeline();
  for (const [id, value] of values) {
    deps.cache.many.set(keyOf(id), { value }, { ttl: entry.ttlSeconds * 1000 });
    pipeline.set(PREFIX + keyOf(id), JSON.stringify({ v: value }), "EX", entry.ttlSeconds);
  }
  await pipeline.exec().catch((err: unknown) => failed(deps, entry.cache, "set", err));
}
