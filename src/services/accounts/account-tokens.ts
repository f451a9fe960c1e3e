// Single-use tokens sent by mail: only a hash is stored; a newer token of the same purpose
// replaces the older, and using one is an atomic claim, so two clicks cannot both succeed.
import { createHash, randomBytes } from "node:crypto";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";

export type TokenPurpose = "password-reset" | "verify-email" | "change-email";

type TokenDeps = Pick<Deps, "models" | "clock">;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The shape of a token in a link; anything else is refused before a database lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Creates a token (and forgets the user's earlier ones for the same purpose); returns the secret for the link. */
export async function issueToken(deps: TokenDeps, userId: string, purpose: TokenPurpose, ttlMs: number, email?: string) {
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  await deps.models.AccountToken.deleteMany({ userId, purpose, usedAt: null });
  const doc = await deps.models.AccountToken.create({
    userId,
    purpose,
    tokenHash: hashToken(token),
    email: email ?? null,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return { token, tokenId: String(doc._id) };
}

/** The unused, unexpired token, without using it (to show the form it opens). */
export async function findLiveToken(deps: TokenDeps, token: string, purpose: TokenPurpose) {
  if (!TOKEN_PATTERN.test(token)) return null;
  return deps.models.AccountToken.findOne({ tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: op({ $gt: deps.clock.now() }) }).lean();
}

/** Marks the token used; null when it was already used, replaced, expired or never existed. */
export async function consumeToken(deps: TokenDeps, token: string, purpose: TokenPurpose) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const now = deps.clock.now();
  return deps.models.AccountToken.findOneAndUpdate(
    { tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: op({ $gt: now }) },
    { $set: { usedAt: now } },
    { returnDocument: "after" },
  ).lean();
}

/** Deletes tokens that can no longer be used (expired); used ones go when they expire too. */
export async function purgeExpiredTokens(deps: TokenDeps): Promise<number> {
  const res = await deps.models.AccountToken.deleteMany({ expiresAt: op({ $lt: deps.clock.now() }) });
  return res.deletedCount;
}
