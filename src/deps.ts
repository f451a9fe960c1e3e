// The composition root: the dependencies every service, route, job and CLI command is built from,
// built and closed here.
import { createCompressedPages, type CompressedPages } from "./lib/compressed-pages.js";
import type { Config } from "./config.js";
import { createModels } from "./models/index.js";
import { setWriteListener } from "./models/write-hooks.js";
import { createCacheState, type CacheState } from "./lib/cache.js";
import { createMetrics, type Metrics } from "./lib/metrics.js";
import { touchState } from "./lib/state-cache.js";
import { UNREAD_STATE } from "./services/notifications/index.js";
import { PROFILES_STATE, USER_STATE, timingHash } from "./services/accounts/index.js";
import { createProgressBuffer, PROGRESS_STATE, TITLE_STATE, type ProgressBuffer } from "./services/watching/index.js";
import { connectDb, syncIndexes } from "./lib/db.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { createRedis, waitForRedis } from "./lib/redis.js";
import { createTmdbClient, type TmdbClient } from "./lib/tmdb.js";
import { createFragmentCache, type FragmentCache } from "./lib/fragments.js";
import type { Connection } from "mongoose";
import type { Models } from "./models/index.js";
import type { Redis } from "./lib/redis.js";
import { localMediaStorage, mediaRoot, type MediaStorage } from "./lib/media-storage.js";
import { createMediaQueue, type MediaQueue } from "./lib/media-queue.js";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Deps {
  config: Config;
  conn: Connection;
  models: Models;
  redis: Redis;
  logger: Logger;
  clock: Clock;
  /** One TMDB client (and so one circuit breaker) per process, shared by routes, jobs and the CLI. */
  tmdb: TmdbClient;
  /** Prometheus registry and the metrics the app records. */
  metrics: Metrics;
  /** What the Redis-backed caches keep in this process (lib/cache, lib/state-cache). */
  cache: CacheState;
  /** Rendered HTML of the parts of pages that many requests share (lib/fragments). */
  fragments: FragmentCache;
  /** Compressed HTML pages, by content and by the versions they were built from (lib/compressed-pages). */
  pages: CompressedPages;
  /** An argon2 hash to verify unknown emails against, so they cost what a wrong password costs. */
  timingHash: () => Promise<string>;
  /** The progress write buffer (Redis first, MongoDB in batches); its timer stops in closeDeps. */
  progress: ProgressBuffer;
  /** Uploaded films: the media folder, where finished streams are stored, and the transcode queue. */
  media: { root: string; storage: MediaStorage; queue: MediaQueue };
}

/** The cached per-owner state each model's documents feed. */
const STATE_OF_MODEL: Record<string, { name: string; ttlSeconds: number }> = {
  User: USER_STATE,
  Profile: PROFILES_STATE,
  ListEntry: TITLE_STATE,
  Rating: TITLE_STATE,
  // Not in the cached value, but shown next to it (Remind me): its writes move the same version.
  Reminder: TITLE_STATE,
  Notification: UNREAD_STATE,
  WatchProgress: PROGRESS_STATE,
};

export async function createDeps(config: Config, opts: { name: string; logger?: Logger }): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel, opts.name);
  const conn = await connectDb(config.mongoUri, logger);
  const models = createModels(conn);
  await syncIndexes(conn);
  const redis = createRedis(config.redisUrl, config.redisCommandTimeoutMs);
  await waitForRedis(redis);
  const metrics = createMetrics();
  const cache = createCacheState({ freezeShared: !config.production, requests: metrics.cacheRequests });
  const base = { config, conn, models, redis, logger, clock: systemClock, metrics, cache };
  const deps: Deps = {
    ...base,
    tmdb: createTmdbClient({ config, redis, logger, cache }),
    fragments: createFragmentCache(),
    pages: createCompressedPages(),
    timingHash: timingHash(config),
    progress: createProgressBuffer(base),
    media: { root: mediaRoot(config), storage: localMediaStorage(mediaRoot(config)), queue: createMediaQueue(config) },
  };
  // Writes reach the state caches pages read from before the write call returns.
  setWriteListener(conn, async (model, owners) => {
    const scope = STATE_OF_MODEL[model];
    if (scope) await touchState(deps, scope, owners);
  });
  return deps;
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.progress.close().catch(() => undefined);
  await deps.media.queue.close();
  await Promise.allSettled([deps.conn.close(), deps.redis.quit()]);
}
