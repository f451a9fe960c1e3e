// Changing the account's address: asked for with the password, confirmed by a single-use link
// (24 hours) mailed to the new address; the old address is told at once. The change applies only
// when the link is used. The answer is the same whether or not the new address is taken.
import { randomUUID } from "node:crypto";
import type { Deps } from "../../deps.js";
import { takeAttempt } from "../../lib/attempts.js";
import { BadRequestError, ValidationError } from "../../lib/errors.js";
import { enqueueEvent } from "../notifications/index.js";
import { recordAudit } from "../ops/index.js";
import { confirmPassword } from "./account.js";
import { consumeToken, issueToken } from "./account-tokens.js";

export const EMAIL_CHANGE_TTL_MS = 24 * 3_600_000;

type ChangeDeps = Pick<Deps, "models" | "redis" | "config" | "clock">;

export async function requestEmailChange(deps: ChangeDeps, userId: string, input: { password: string; newEmail: string }, ip?: string): Promise<void> {
  const newEmail = input.newEmail.toLowerCase().trim();
  await confirmPassword(deps, userId, input.password);
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { email: 1 }).lean();
  if (!user) throw new BadRequestError();
  if (user.email === newEmail) throw new ValidationError({ newEmail: "security.email.same" });
  await takeAttempt(
    deps.redis,
    { name: "email-change", max: deps.config.attempts.verifyResendPerHour, windowSeconds: 3600, messageKey: "security.email.tooMany" },
    userId,
  );
  const requestId = randomUUID();
  if (!(await deps.models.User.exists({ email: newEmail }))) {
    const { token, tokenId } = await issueToken(deps, userId, "change-email", EMAIL_CHANGE_TTL_MS, newEmail);
    await enqueueEvent(deps, { id: `email.change-confirm:${tokenId}`, type: "email.change-confirm", payload: { userId, token, to: newEmail } });
  }
  await enqueueEvent(deps, { id: `email.change-notice:${requestId}`, type: "email.change-notice", payload: { userId, to: user.email, newEmail } });
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.email-change-request", target: `user:${userId}`, ip });
}

/** Uses the link: the account's address becomes the one the link was sent to (and counts as confirmed). */
export async function confirmEmailChange(deps: Pick<Deps, "models" | "clock">, token: string, ip?: string): Promise<{ userId: string; email: string }> {
  const used = await consumeToken(deps, token, "change-email");
  if (!used?.email) throw new BadRequestError("security.email.invalidLink");
  const userId = String(used.userId);
  try {
    const res = await deps.models.User.updateOne({ _id: userId, status: "active" }, { $set: { email: used.email, emailVerifiedAt: deps.clock.now() } });
    if (res.matchedCount === 0) throw new BadRequestError("security.email.invalidLink");
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new BadRequestError("security.email.taken");
    throw err;
  }
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.email-change", target: `user:${userId}`, ip });
  return { userId, email: used.email };
}
