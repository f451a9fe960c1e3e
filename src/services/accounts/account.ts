// The account page's actions: password change, devices and sign-outs, and erasing an account.
import { createHash, randomBytes } from "node:crypto";
import { UAParser } from "ua-parser-js";
import type { Deps } from "../../deps.js";
import { checkedAttempt, type AttemptLimit } from "../../lib/attempts.js";
import { NotFoundError, ValidationError } from "../../lib/errors.js";
import { safeEqual } from "../../lib/safe-equal.js";
import { dropState } from "../../lib/state-cache.js";
import { requireStrongPassword, subscriptionView } from "./users.js";
import { UNREAD_STATE } from "../notifications/index.js";
import { recordAudit } from "../ops/index.js";
import { USER_STATE } from "./current-user.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { PROFILES_STATE, eraseProfileData } from "./profiles.js";
import { SESSION_PREFIX, listUserSessions, revokeUserSessions, unindexSession } from "./sessions.js";

type AccountDeps = Pick<Deps, "models" | "config" | "redis" | "clock">;

export async function getAccount(deps: Pick<Deps, "models">, userId: string) {
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }).lean();
  if (!user) throw new NotFoundError();
  return {
    email: user.email,
    displayName: user.displayName,
    locale: user.locale,
    memberSince: user.createdAt,
    subscription: subscriptionView(user),
  };
}

const passwordLimit = (config: Deps["config"]): AttemptLimit => ({
  name: "password",
  max: config.attempts.passwordMax,
  windowSeconds: config.attempts.windowSeconds,
  messageKey: "account.tooManyPasswordAttempts",
});

/**
 * Checks the account password; a wrong one is a field error on `field`. A stolen session could
 * otherwise guess the password here, so checks are counted per user before they run (shared by
 * password change, account deletion and profile PINs) and refused with 429 over the limit.
 */
export async function confirmPassword(deps: Pick<Deps, "models" | "redis" | "config">, userId: string, password: string, field = "password"): Promise<void> {
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { passwordHash: 1 }).lean();
  if (!user) throw new ValidationError({ [field]: "account.wrongPassword" });
  const ok = await checkedAttempt(deps.redis, passwordLimit(deps.config), userId, () => verifyPassword(user.passwordHash, password));
  if (!ok) throw new ValidationError({ [field]: "account.wrongPassword" });
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Sets a new password. The caller rotates its own session and revokes the others. */
export async function changePassword(deps: AccountDeps, userId: string, input: PasswordChange, ip?: string): Promise<void> {
  await confirmPassword(deps, userId, input.currentPassword, "currentPassword");
  const user = await deps.models.User.findById(userId, { email: 1 }).lean();
  requireStrongPassword(input.newPassword, user?.email, "newPassword");
  if (input.newPassword !== input.confirmPassword) throw new ValidationError({ confirmPassword: "account.passwordsDiffer" });
  const passwordHash = await hashPassword(input.newPassword, deps.config.argon2);
  await deps.models.User.updateOne({ _id: userId }, { $set: { passwordHash } });
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.password-change", target: `user:${userId}`, ip });
}

export interface Device {
  key: string;
  browser: string;
  os: string;
  deviceType: string | null;
  ip: string | null;
  createdAt: Date | null;
  lastSeenAt: Date | null;
  current: boolean;
}

// Pages name a session by a hash of its id: the id itself is the cookie secret and stays out of HTML.
export function deviceKey(sid: string): string {
  return createHash("sha256").update(`device:${sid}`).digest("base64url").slice(0, 22);
}

export async function listDevices(deps: Pick<Deps, "redis">, userId: string, currentSid: string): Promise<Device[]> {
  const sessions = await listUserSessions(deps.redis, userId);
  return sessions.map((s) => {
    const ua = UAParser(s.userAgent ?? "");
    return {
      key: deviceKey(s.id),
      browser: [ua.browser.name, ua.browser.major].filter(Boolean).join(" "),
      os: [ua.os.name, ua.os.version].filter(Boolean).join(" "),
      deviceType: ua.device.type ?? null,
      ip: s.ip ?? null,
      createdAt: s.createdAt ? new Date(s.createdAt) : null,
      lastSeenAt: s.lastSeenAt ? new Date(s.lastSeenAt) : null,
      current: s.id === currentSid,
    };
  });
}

/** Signs out one of the user's own sessions, named by its device key; returns whether it was this one. */
/** Ends one of the user's other sessions (audited); the current one is left to the caller to end. */
export async function signOutDevice(
  deps: Pick<Deps, "redis" | "models" | "clock">,
  userId: string,
  key: string,
  currentSid: string,
  ip?: string,
): Promise<{ current: boolean }> {
  const sessions = await listUserSessions(deps.redis, userId);
  const target = sessions.find((s) => safeEqual(deviceKey(s.id), key));
  if (!target) throw new NotFoundError("account.deviceNotFound");
  if (target.id === currentSid) return { current: true };
  await deps.redis.del(SESSION_PREFIX + target.id);
  await unindexSession(deps.redis, userId, target.id);
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.sign-out-device", target: `user:${userId}`, ip });
  return { current: false };
}

/**
 * Ends every session of the user but the current one. Asked for by the user (`asked` set), it is
 * audited as such; a password change does it as part of its own audited action.
 */
export async function signOutOtherDevices(
  deps: Pick<Deps, "redis" | "models" | "clock">,
  userId: string,
  currentSid: string,
  asked?: { ip?: string },
): Promise<number> {
  const count = await revokeUserSessions(deps.redis, userId, currentSid);
  if (asked)
    await recordAudit(deps, { actor: `user:${userId}`, action: "account.sign-out-others", target: `user:${userId}`, details: { count }, ip: asked.ip });
  return count;
}

/**
 * Erases an account: profiles with their lists, ratings and progress; notifications; personal
 * fields on the user (the row stays as an anonymous stub so payment rows keep a valid owner).
 * Payment rows are kept for the books with any payer details removed. Every session ends.
 */
export async function deleteAccount(deps: AccountDeps, userId: string, password: string): Promise<void> {
  await confirmPassword(deps, userId, password);
  const profiles = await deps.models.Profile.find({ userId }, { _id: 1 }).lean();
  await eraseProfileData(
    deps,
    profiles.map((p) => p._id),
  );
  await deps.models.Profile.deleteMany({ userId });
  await eraseOtherPersonalData(deps, userId);
  const stub = `deleted-${userId}@deleted.invalid`;
  await deps.models.User.updateOne(
    { _id: userId },
    {
      $set: {
        email: stub,
        displayName: "deleted",
        passwordHash: await hashPassword(randomBytes(32).toString("hex"), deps.config.argon2),
        status: "deleted",
        role: "user",
        "subscription.status": "canceled",
        twoFactor: {},
        knownDevices: [],
        lastSignInAt: null,
      },
    },
  );
  await revokeUserSessions(deps.redis, userId);
  // The cached copies of the user and its profiles hold the email and names until their TTL.
  await Promise.all([USER_STATE, PROFILES_STATE, UNREAD_STATE].map((scope) => dropState(deps, scope, [userId])));
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.delete", target: `user:${userId}` });
}

/**
 * Personal data the account left in other areas: notifications, mailed links and the record of
 * sent mail (it names the address) go, and so do addresses and IPs in its outbox events; audit lines stay (they record
 * what happened, under the pseudonymous user id) but lose the IP address and any email or name
 * in their details (lines written before audit details stopped carrying them). Payment rows stay
 * for the books: they point at the user id, whose row is now an anonymous stub, and hold no
 * name, email or account number.
 */
async function eraseOtherPersonalData(deps: Pick<Deps, "models">, userId: string): Promise<void> {
  const who = `user:${userId}`;
  const scrub = { $set: { ip: null }, $unset: { "details.email": "", "details.displayName": "", "details.name": "" } };
  await Promise.all([
    deps.models.Notification.deleteMany({ userId }),
    deps.models.AccountToken.deleteMany({ userId }),
    deps.models.SentMail.deleteMany({ userId }),
    // Events keep what their mail said: addresses (email change) and where a sign-in came from.
    deps.models.Outbox.updateMany(
      { "payload.userId": userId },
      { $unset: { "payload.to": "", "payload.newEmail": "", "payload.ip": "", "payload.browser": "", "payload.os": "" } },
    ),
    deps.models.AuditLog.updateMany({ actor: who }, scrub),
    deps.models.AuditLog.updateMany({ target: who }, scrub),
  ]);
}
