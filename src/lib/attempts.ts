// Attempt counters for secrets a client could guess (a profile PIN, the current password) and for
// costly actions (registration per IP): counted before the check, so parallel guesses cannot race.
import { createHash } from "node:crypto";
import { TooManyRequestsError } from "./errors.js";
import type { Redis } from "./redis.js";

export interface AttemptLimit {
  /** Key part: "pin", "password", "register". */
  name: string;
  max: number;
  windowSeconds: number;
  /** Shown with the 429 once the limit is reached. */
  messageKey: string;
}

// INCR and the window's EXPIRE in one atomic step: no request can read a count that another has
// not yet added to, and no counter is ever left without an expiry.
const TAKE_ATTEMPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

// The subject (a user id, an IP address) is hashed: keys name no one.
const attemptKey = (limit: AttemptLimit, subject: string) => `attempts:${limit.name}:${createHash("sha256").update(subject).digest("base64url").slice(0, 32)}`;

/**
 * Counts one attempt for `subject` and throws 429 once the count is over the limit, before the
 * caller checks anything: 60 guesses sent together get at most `max` checks. The window starts
 * at the first attempt. A Redis failure propagates (the caller answers 503): no check runs
 * without being counted.
 */
export async function takeAttempt(redis: Redis, limit: AttemptLimit, subject: string): Promise<void> {
  const count = Number(await redis.eval(TAKE_ATTEMPT, 1, attemptKey(limit, subject), String(limit.windowSeconds)));
  if (count > limit.max) throw new TooManyRequestsError(limit.messageKey);
}

export async function clearAttempts(redis: Redis, limit: AttemptLimit, subject: string): Promise<void> {
  await redis.del(attemptKey(limit, subject));
}

/** Counts an attempt, runs `check`, and forgets the count only when the check passes. */
export async function checkedAttempt(redis: Redis, limit: AttemptLimit, subject: string, check: () => Promise<boolean>): Promise<boolean> {
  await takeAttempt(redis, limit, subject);
  const ok = await check();
  if (ok) await clearAttempts(redis, limit, subject);
  return ok;
}
