// Builds the shared dependencies (database, models, Redis, logger) for the web, worker and CLI.
import type { Config } from "../config.js";
import { createModels } from "../models/index.js";
import { connectDb, syncIndexes } from "./db.js";
import { systemClock, type Deps } from "./deps.js";
import { createLogger, type Logger } from "./logger.js";
import { createRedis, waitForRedis } from "./redis.js";

export async function createDeps(config: Config, opts: { name: string; logger?: Logger }): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel, opts.name);
  const conn = await connectDb(config.mongoUri, logger);
  const models = createModels(conn);
  await syncIndexes(conn);
  const redis = createRedis(config.redisUrl, config.redisCommandTimeoutMs);
  await waitForRedis(redis);
  return { config, conn, models, redis, logger, clock: systemClock };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await Promise.allSettled([deps.conn.close(), deps.redis.quit()]);
}
