// Payment provider notices, applied once each. A signed request is recorded with its outcome only
// after it was processed: a replay of a processed request is answered from the record, while a
// request whose processing failed leaves no record, so the provider's retry is processed.
import type { Deps } from "../../deps.js";
import { confirmFromProvider, type ConfirmOutcome, type ProviderNotice } from "./approval.js";

// How long one attempt may take before a concurrent copy of it may try again.
const ATTEMPT_MS = 30_000;

export type NoticeResult = { status: ConfirmOutcome; replayed: boolean } | { status: "in-progress"; replayed: false };

const seenKey = (signature: string) => `webhook-seen:${signature}`;

/** Applies a verified notice unless the same signed request was already processed (or is being). */
export async function receiveProviderNotice(
  deps: Pick<Deps, "models" | "clock" | "config" | "logger" | "redis" | "cache">,
  signature: string,
  notice: ProviderNotice,
): Promise<NoticeResult> {
  const key = seenKey(signature);
  const claimed = await deps.redis.set(key, "processing", "PX", ATTEMPT_MS, "NX");
  if (claimed !== "OK") {
    const seen = await deps.redis.get(key);
    // A processed request replayed within the signature's window: answered, not applied again.
    if (seen?.startsWith("done:")) return { status: "duplicate", replayed: true };
    return { status: "in-progress", replayed: false };
  }
  let outcome: ConfirmOutcome;
  try {
    outcome = await confirmFromProvider(deps, notice);
  } catch (err) {
    // Nothing was recorded as done: the provider's retry of this request gets processed.
    await deps.redis.del(key).catch(() => undefined);
    throw err;
  }
  // Kept as long as the signature could be replayed (its timestamp tolerance, both ways).
  await deps.redis.set(key, `done:${outcome}`, "PX", deps.config.billing.webhookToleranceMs * 2);
  return { status: outcome, replayed: false };
}
