// Redis run locks: SET NX PX with a random token; only the holder's token releases it.
import { randomBytes } from "node:crypto";
import type { Redis } from "./redis.js";

export interface HeldLock {
  key: string;
  token: string;
  release(): Promise<void>;
  /** Extends the lock by `ttlMs` if it is still ours; false when it expired or was taken. */
  renew(ttlMs: number): Promise<boolean>;
}

// Delete only if the value is still our token: a lock that expired and was taken by someone else stays.
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

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
    renew: async (ms: number) => (await redis.eval(RENEW_SCRIPT, 1, key, token, String(ms))) === 1,
  };
}

export interface LeaseKeeper {
  stop(): void;
}

/**
 * Keeps a held lock for as long as the work under it runs: renews it every third of `ttlMs`
 * (so two missed renewals still leave it held), runs `onRenewed` after each renewal, and calls
 * `onLost` once if the lock expired or was taken (the work should then stop at its next step).
 */
export function keepLease(lock: HeldLock, ttlMs: number, hooks: { onRenewed?: () => Promise<void>; onLost: () => void }): LeaseKeeper {
  let stopped = false;
  let busy = false;
  const timer = setInterval(
    () => {
      if (busy || stopped) return;
      busy = true;
      lock
        .renew(ttlMs)
        .then(async (held) => {
          if (stopped) return;
          if (!held) {
            stopped = true;
            clearInterval(timer);
            return hooks.onLost();
          }
          await hooks.onRenewed?.();
        })
        // A failed renewal (Redis away for a moment) is retried at the next tick.
        .catch(() => undefined)
        .finally(() => (busy = false));
    },
    Math.max(50, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
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
