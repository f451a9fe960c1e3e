// The dependencies every service, route, job and CLI command is built from.
import type { Connection } from "mongoose";
import type { Config } from "../config.js";
import type { Models } from "../models/index.js";
import type { Logger } from "./logger.js";
import type { Redis } from "./redis.js";

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
}
