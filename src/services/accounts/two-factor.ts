// Two-factor sign-in with TOTP (RFC 6238, otplib): enrolment with a QR code and a code check,
// ten single-use recovery codes, the code check at sign-in (throttled like passwords, a code
// from an already used 30-second step refused) and the operator's reset.
import { randomInt } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Deps } from "../../deps.js";
import { checkedAttempt, type AttemptLimit } from "../../lib/attempts.js";
import { op } from "../../lib/db.js";
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from "../../lib/errors.js";
import { withLock } from "../../lib/lock.js";
import { keyedHash, openSecret, sealSecret } from "../../lib/secret-box.js";
import { recordAudit, type Acting } from "../ops/index.js";
import { confirmPassword } from "./account.js";
import { revokeUserSessions } from "./sessions.js";

type TwoFactorDeps = Pick<Deps, "models" | "redis" | "config" | "clock">;

export const RECOVERY_CODE_COUNT = 10;
const PERIOD_SECONDS = 30;
// No 0/o, 1/l/i: a code copied from paper survives.
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

const codeLimit = (config: Deps["config"]): AttemptLimit => ({
  name: "2fa",
  max: config.attempts.passwordMax,
  windowSeconds: config.attempts.windowSeconds,
  messageKey: "security.twoFactor.tooMany",
});

const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");
const recoveryHash = (config: Deps["config"], code: string) => keyedHash(config.twoFactor.key, `recovery:${normalizeRecovery(code)}`);
const epochOf = (deps: Pick<Deps, "clock">) => Math.floor(deps.clock.now().getTime() / 1000);

function newRecoveryCode(): string {
  let s = "";
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(deps: Pick<Deps, "models">, userId: string): Promise<TwoFactorStatus> {
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { twoFactor: 1 }).lean();
  if (!user) throw new NotFoundError();
  const tf = user.twoFactor;
  return { enabled: Boolean(tf?.enabledAt), enabledAt: tf?.enabledAt ?? null, recoveryCodesLeft: tf?.recoveryCodes?.length ?? 0 };
}

export interface TwoFactorSetup {
  /** The base32 key, for typing into an authenticator by hand (shown only while enrolling). */
  secret: string;
  uri: string;
  /** The otpauth URI as a PNG data URL, for scanning. */
  qrDataUrl: string;
}

/**
 * Starts enrolment after the password is confirmed again: a new key is kept (encrypted) as the
 * pending one until a code made from it is checked by `confirmTwoFactorSetup`.
 */
export async function startTwoFactorSetup(deps: TwoFactorDeps, userId: string, password: string): Promise<TwoFactorSetup> {
  await confirmPassword(deps, userId, password);
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { email: 1, twoFactor: 1 }).lean();
  if (!user) throw new NotFoundError();
  if (user.twoFactor?.enabledAt) throw new BadRequestError("security.twoFactor.alreadyOn");
  const secret = generateSecret();
  await deps.models.User.updateOne({ _id: userId }, { $set: { "twoFactor.pendingSecret": sealSecret(deps.config.twoFactor.key, secret) } });
  return setupView(deps.config, user.email, secret);
}

/** The enrolment in progress (to show its QR code again after a wrong code), or null. */
export async function currentTwoFactorSetup(deps: Pick<Deps, "models" | "config">, userId: string): Promise<TwoFactorSetup | null> {
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { email: 1, twoFactor: 1 }).lean();
  const sealed = user?.twoFactor?.pendingSecret;
  const secret = sealed && !user.twoFactor?.enabledAt ? openSecret(deps.config.twoFactor.key, sealed) : null;
  if (!user || !secret) return null;
  return setupView(deps.config, user.email, secret);
}

async function setupView(config: Deps["config"], email: string, secret: string): Promise<TwoFactorSetup> {
  const uri = generateURI({ issuer: config.twoFactor.issuer, label: email, secret });
  const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2, width: 240 });
  return { secret, uri, qrDataUrl };
}

/** A code's 30-second step when it is right for `secret` and newer than `after`, else null. */
async function matchingStep(deps: Pick<Deps, "clock">, secret: string, code: string, after: number | null | undefined): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: epochOf(deps),
    // One step either side: phones whose clock is a little off still work.
    epochTolerance: PERIOD_SECONDS,
    ...(typeof after === "number" ? { afterTimeStep: after } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

/**
 * Claims a step for the user once: the first caller with a code from step N wins, any other
 * (a replay, or the same code sent twice at once) is refused.
 */
async function claimStep(deps: Pick<Deps, "redis" | "models">, userId: string, step: number): Promise<boolean> {
  const fresh = await deps.redis.set(`2fa-step:${userId}:${step}`, "1", "EX", PERIOD_SECONDS * 4, "NX");
  if (fresh !== "OK") return false;
  await deps.models.User.updateOne(
    { _id: userId, $or: [{ "twoFactor.lastTimeStep": null }, { "twoFactor.lastTimeStep": op({ $lt: step }) }] },
    { $set: { "twoFactor.lastTimeStep": step } },
  );
  return true;
}

/**
 * Finishes enrolment with a code from the pending key: 2FA is on, every other session of the user
 * ends, and the ten recovery codes are returned (only their hashes are kept: this is the one time
 * they can be shown).
 */
export async function confirmTwoFactorSetup(deps: TwoFactorDeps, userId: string, code: string, keepSid?: string, ip?: string): Promise<string[]> {
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { twoFactor: 1 }).lean();
  const sealed = user?.twoFactor?.pendingSecret;
  if (!user || !sealed) throw new BadRequestError("security.twoFactor.setupExpired");
  const secret = openSecret(deps.config.twoFactor.key, sealed);
  if (!secret) throw new BadRequestError("security.twoFactor.setupExpired");
  const ok = await checkedAttempt(deps.redis, codeLimit(deps.config), userId, async () => {
    const step = await matchingStep(deps, secret, code.trim(), null);
    return step !== null && (await claimStep(deps, userId, step));
  });
  if (!ok) throw new ValidationError({ code: "security.twoFactor.wrongCode" });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const res = await deps.models.User.updateOne(
    { _id: userId, "twoFactor.pendingSecret": sealed },
    {
      $set: {
        "twoFactor.secret": sealed,
        "twoFactor.pendingSecret": null,
        "twoFactor.enabledAt": deps.clock.now(),
        "twoFactor.recoveryCodes": codes.map((c) => recoveryHash(deps.config, c)),
      },
    },
  );
  if (res.modifiedCount === 0) throw new BadRequestError("security.twoFactor.setupExpired");
  await revokeUserSessions(deps.redis, userId, keepSid);
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.2fa-enable", target: `user:${userId}`, ip });
  return codes;
}

/** Subscribers may turn 2FA off again (password confirmed); admins must keep it. */
export async function disableTwoFactor(deps: TwoFactorDeps, userId: string, password: string, ip?: string): Promise<void> {
  const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { role: 1 }).lean();
  if (!user) throw new NotFoundError();
  if (user.role === "admin") throw new ForbiddenError("security.twoFactor.requiredForAdmins");
  await confirmPassword(deps, userId, password);
  await deps.models.User.updateOne({ _id: userId }, { $set: { twoFactor: {} } });
  await recordAudit(deps, { actor: `user:${userId}`, action: "account.2fa-disable", target: `user:${userId}`, ip });
}

export type SecondFactor = "totp" | "recovery";

/**
 * The sign-in check: a 6-digit code from the authenticator (not one from a step already used) or
 * one of the recovery codes (it then stops working). Counted per user before the check; a wrong
 * code is a field error on `code`, too many are a 429.
 */
export async function verifySecondFactor(deps: TwoFactorDeps, userId: string, code: string): Promise<SecondFactor> {
  const given = code.trim();
  let used: SecondFactor | null = null;
  await checkedAttempt(deps.redis, codeLimit(deps.config), userId, async () => {
    const user = await deps.models.User.findOne({ _id: userId, status: "active" }, { twoFactor: 1 }).lean();
    const tf = user?.twoFactor;
    const secret = tf?.enabledAt && tf.secret ? openSecret(deps.config.twoFactor.key, tf.secret) : null;
    if (!secret) return false;
    if (/^\d{6}$/.test(given)) {
      const step = await matchingStep(deps, secret, given, tf!.lastTimeStep);
      if (step !== null && (await claimStep(deps, userId, step))) used = "totp";
    } else if (await useRecoveryCode(deps, userId, given)) used = "recovery";
    return used !== null;
  });
  if (!used) throw new ValidationError({ code: "security.twoFactor.wrongCode" });
  return used;
}

async function useRecoveryCode(deps: TwoFactorDeps, userId: string, code: string): Promise<boolean> {
  if (normalizeRecovery(code).length !== 10) return false;
  const hash = recoveryHash(deps.config, code);
  // Serialized per user: FerretDB's conditional updates are not atomic under concurrency.
  const res = await withLock(deps.redis, `lock:2fa-recovery:${userId}`, () =>
    deps.models.User.updateOne({ _id: userId, "twoFactor.recoveryCodes": hash }, { $pull: { "twoFactor.recoveryCodes": hash } }),
  );
  return res.modifiedCount === 1;
}

/** Operator (CLI): turns 2FA off for an account that lost its phone and codes; its sessions end. */
export async function resetTwoFactor(
  deps: Pick<Deps, "models" | "redis" | "clock">,
  email: string,
  by: Acting,
): Promise<{ userId: string; email: string; wasOn: boolean }> {
  const user = await deps.models.User.findOne({ email, status: op({ $ne: "deleted" }) }, { email: 1, twoFactor: 1 }).lean();
  if (!user) throw new NotFoundError("users.notFound");
  const userId = String(user._id);
  await deps.models.User.updateOne({ _id: userId }, { $set: { twoFactor: {} } });
  await revokeUserSessions(deps.redis, userId);
  await recordAudit(deps, { ...by, action: "user.reset-2fa", target: `user:${userId}` });
  return { userId, email: user.email, wasOn: Boolean(user.twoFactor?.enabledAt) };
}

/** Whether signing in to this account asks for a code after the password. */
export async function needsSecondFactor(deps: Pick<Deps, "models">, userId: string): Promise<boolean> {
  return Boolean(await deps.models.User.exists({ _id: userId, "twoFactor.enabledAt": op({ $ne: null }) }));
}
