// Builds the shared dependencies (database, models, Redis, logger) for the web, worker and CLI.
import type { Config } from "../config.js";
import { createModels } from "../models/index.js";
import { onModelWrites } from "../models/write-hooks.js";
import { USER_STATE } from "./auth.js";
import { freezeSharedCacheValues } from "./cache.js";
import { touchState } from "./state-cache.js";
import { TITLE_STATE } from "../services/my-list.js";
import { UNREAD_STATE } from "../services/notifications.js";
import { PROFILES_STATE } from "../services/profiles.js";
import { PROGRESS_STATE } from "../services/progress.js";
import { connectDb, syncIndexes } from "./db.js";
import { systemClock, type Deps } from "./deps.js";
import { createLogger, type Logger } from "./logger.js";
import { createRedis, waitForRedis } from "./redis.js";

/** The cached per-owner state each model's documents feed. */
const STATE_OF_MODEL: Record<string, { name: string; ttlSeconds: number }> = {
  User: USER_STATE,
  Profile: PROFILES_STATE,
  ListEntry: TITLE_STATE,
  Rating: TITLE_STATE,
  Notification: UNREAD_STATE,
  WatchProgress: PROGRESS_STATE,
};

export async function createDeps(config: Config, opts: { name: string; logger?: Logger }): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel, opts.name);
  freezeSharedCacheValues(!config.production);
  const conn = await connectDb(config.mongoUri, logger);
  const models = createModels(conn);
  await syncIndexes(conn);
  const redis = createRedis(config.redisUrl, config.redisCommandTimeoutMs);
  await waitForRedis(redis);
  const deps: Deps = { config, conn, models, redis, logger, clock: systemClock };
  // Writes reach the state caches pages read from before the write call returns.
  onModelWrites(conn, async (model, owners) => {
    const scope = STATE_OF_MODEL[model];
    if (scope) await touchState(deps, scope, owners);
  });
  return deps;
}

export async function closeDeps(deps: Deps): Promise<void> {
  await Promise.allSettled([deps.conn.close(), deps.redis.quit()]);
}
