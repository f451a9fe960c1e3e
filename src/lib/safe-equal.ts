// Comparing secrets (tokens, keys) without leaking through timing how much of a guess was right.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * True when both are strings and equal. Both sides are hashed first, so the comparison takes the
 * same time whatever the lengths and wherever the first difference is.
 */
export function safeEqual(given: unknown, expected: unknown): boolean {
  if (typeof given !== "string" || typeof expected !== "string") return false;
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}
