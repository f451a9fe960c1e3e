// Redis run locks: SET NX PX with a random token; only the holder's token releases it.
import { randomBytes } from "node:crypto";
import type { Redis } from "./redis.js";

export interface HeldLock {
  key: string;
  token: string;
  release(): Promise<void>;
}

// Delete only if the value is still our token: a lock that expired and was taken by someone else stays.
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/** Takes the lock or returns null when another process holds it. */
export async function acquireLock(redis: Redis, key: string, ttlMs: number): Promise<HeldLock | null> {
  const token = randomBytes(12).toString("hex");
  const ok = await redis.set(key, token, "PX", ttlMs, "NX");
  if (ok !== "OK") return null;
  return {
    key,
    token,
    release: async () => {
      await redis.eval(RELEASE_SCRIPT, 1, key, token);
    },
  };
}

/**
 * Runs `fn` while holding `key`, waiting up to `waitMs` for another holder to finish.
 * FerretDB 1.24 does not make a conditional update atomic (two concurrent
 * updateOne({status: "pending"}) calls can both match), so decisions that must have exactly
 * one winner are serialized here and still re-check their condition inside.
 */
export async function withLock<T>(redis: Redis, key: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
  const ttlMs = opts.ttlMs ?? 30_000;
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  let delay = 10;
  for (;;) {
    const lock = await acquireLock(redis, key, ttlMs);
    if (lock) {
      try {
        return await fn();
      } finally {
        await lock.release().catch(() => undefined);
      }
    }
    if (Date.now() > deadline) throw new LockTimeoutError(key);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
}

export class LockTimeoutError extends Error {
  constructor(key: string) {
    super(`busy: ${key} is locked by another process; try again`);
  }
}
