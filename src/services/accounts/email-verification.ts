// Confirming the address: a mailed single-use link (24 hours) marks it verified; until then pages
// show a banner whose "resend" is counted per user.
import type { Deps } from "../../deps.js";
import { takeAttempt } from "../../lib/attempts.js";
import { BadRequestError } from "../../lib/errors.js";
import { enqueueEvent } from "../notifications/index.js";
import { consumeToken, issueToken } from "./account-tokens.js";

export const VERIFY_TTL_MS = 24 * 3_600_000;

/** Issues a link for `email` (an earlier one stops working) and queues its mail. */
export async function sendVerificationLink(deps: Pick<Deps, "models" | "clock">, userId: string, email: string): Promise<void> {
  const { token, tokenId } = await issueToken(deps, userId, "verify-email", VERIFY_TTL_MS, email);
  await enqueueEvent(deps, { id: `email.verify:${tokenId}`, type: "email.verify", payload: { userId, token } });
}

/** "Resend" from the banner: counted per user; does nothing once the address is verified. */
export async function resendVerification(deps: Pick<Deps, "models" | "clock" | "redis" | "config">, userId: string): Promise<"sent" | "already-verified"> {
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { email: 1, emailVerifiedAt: 1 }).lean();
  if (!user || user.emailVerifiedAt) return "already-verified";
  await takeAttempt(
    deps.redis,
    { name: "verify-resend", max: deps.config.attempts.verifyResendPerHour, windowSeconds: 3600, messageKey: "auth.verify.tooMany" },
    userId,
  );
  await sendVerificationLink(deps, userId, user.email);
  return "sent";
}

/** Uses the link; it confirms only the address it was sent to, and only while the account still has it. */
export async function verifyEmail(deps: Pick<Deps, "models" | "clock">, token: string): Promise<void> {
  const used = await consumeToken(deps, token, "verify-email");
  if (!used) throw new BadRequestError("auth.verify.invalidLink");
  const res = await deps.models.User.updateOne(
    { _id: used.userId, email: used.email ?? "", status: "active", emailVerifiedAt: null },
    { $set: { emailVerifiedAt: deps.clock.now() } },
  );
  if (res.matchedCount === 0) {
    const user = await deps.models.User.findOne({ _id: used.userId, email: used.email ?? "" }, { emailVerifiedAt: 1 }).lean();
    if (!user?.emailVerifiedAt) throw new BadRequestError("auth.verify.invalidLink");
  }
}
