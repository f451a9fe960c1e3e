// Forgot password: a mailed single-use link (1 hour) sets a new password, signs every device out
// and sends a notice. The request answers the same whether or not the address has an account.
import type { Deps } from "../../deps.js";
import { takeAttempt, type AttemptLimit } from "../../lib/attempts.js";
import { BadRequestError, NotFoundError, ValidationError } from "../../lib/errors.js";
import { enqueueEvent } from "../notifications/index.js";
import { recordAudit, type Acting } from "../ops/index.js";
import { consumeToken, findLiveToken, issueToken } from "./account-tokens.js";
import { hashPassword } from "./passwords.js";
import { revokeUserSessions } from "./sessions.js";
import { requireStrongPassword } from "./users.js";

export const RESET_TTL_MS = 3_600_000;

type ResetDeps = Pick<Deps, "models" | "redis" | "clock" | "config" | "logger">;

const limits = (config: Deps["config"]) => ({
  perEmail: { name: "reset-email", max: config.attempts.resetPerEmailPerHour, windowSeconds: 3600, messageKey: "auth.reset.tooMany" } satisfies AttemptLimit,
  perIp: { name: "reset-ip", max: config.attempts.resetPerIpPerHour, windowSeconds: 3600, messageKey: "auth.reset.tooMany" } satisfies AttemptLimit,
});

/**
 * Mails a reset link when the address belongs to an active account; says nothing either way.
 * Counted per IP and per address (known or not), so the limit reveals nothing either.
 */
export async function requestPasswordReset(deps: ResetDeps, email: string, ip: string | undefined): Promise<void> {
  const { perEmail, perIp } = limits(deps.config);
  await takeAttempt(deps.redis, perIp, ip ?? "unknown");
  await takeAttempt(deps.redis, perEmail, email);
  const user = await deps.models.User.findOne({ email, status: "active" }, { _id: 1 }).lean();
  if (user) await sendResetLink(deps, String(user._id));
}

/** Issues a new link (the older one stops working) and queues its mail. */
export async function sendResetLink(deps: ResetDeps, userId: string): Promise<void> {
  const { token, tokenId } = await issueToken(deps, userId, "password-reset", RESET_TTL_MS);
  await enqueueEvent(deps, { id: `password.reset:${tokenId}`, type: "password.reset", payload: { userId, token } });
}

/** For support (CLI): mails a reset link to an existing account and records who asked. */
export async function sendResetForSupport(deps: ResetDeps, email: string, by: Acting): Promise<{ userId: string; email: string }> {
  const user = await deps.models.User.findOne({ email, status: "active" }, { _id: 1, email: 1 }).lean();
  if (!user) throw new NotFoundError("users.notFound");
  await sendResetLink(deps, String(user._id));
  await recordAudit(deps, { ...by, action: "user.send-reset", target: `user:${String(user._id)}` });
  return { userId: String(user._id), email: user.email };
}

/** True when the link can still be used (the reset form is shown only then). */
export async function isResetLinkLive(deps: Pick<Deps, "models" | "clock">, token: string): Promise<boolean> {
  return Boolean(await findLiveToken(deps, token, "password-reset"));
}

export interface PasswordResetInput {
  token: string;
  password: string;
  confirmPassword: string;
}

/** Sets the new password from a live link, then revokes every session and queues the notice. */
export async function resetPassword(deps: ResetDeps, input: PasswordResetInput, ip?: string): Promise<void> {
  const live = await findLiveToken(deps, input.token, "password-reset");
  if (!live) throw new BadRequestError("auth.reset.invalidLink");
  const user = await deps.models.User.findOne({ _id: live.userId, status: "active" }, { email: 1 }).lean();
  if (!user) throw new BadRequestError("auth.reset.invalidLink");
  // Checked before the token is used: a weak password must not cost the user the link.
  requireStrongPassword(input.password, user.email);
  if (input.password !== input.confirmPassword) throw new ValidationError({ confirmPassword: "account.passwordsDiffer" });
  const passwordHash = await hashPassword(input.password, deps.config.argon2);
  const used = await consumeToken(deps, input.token, "password-reset");
  if (!used) throw new BadRequestError("auth.reset.invalidLink");
  const userId = String(user._id);
  await deps.models.User.updateOne({ _id: userId }, { $set: { passwordHash } });
  await revokeUserSessions(deps.redis, userId);
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.password-reset", target: `user:${userId}`, ip });
  await enqueueEvent(deps, { id: `password.changed:${String(used._id)}`, type: "password.changed", payload: { userId } });
}
