// Starts one throwaway FerretDB and Redis for the whole run, unless MONGODB_URI / REDIS_URL are given.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startFerretDb, startRedis, type LocalService } from "../../tools/local-services.js";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "netflix-test-"));
  const started: LocalService[] = [];
  let mongoUri = process.env.MONGODB_URI;
  let redisUrl = process.env.REDIS_URL;
  if (!mongoUri) {
    const db = await startFerretDb({ dir: path.join(dir, "ferretdb") });
    started.push(db);
    mongoUri = db.url;
  }
  if (!redisUrl) {
    const redis = await startRedis({ dir: path.join(dir, "redis") });
    started.push(redis);
    redisUrl = redis.url;
  }
  project.provide("mongoUri", mongoUri);
  project.provide("redisUrl", redisUrl);
  return async () => {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
}
