// Accounts: registration, sign-in checks, roles. Never tells a caller whether an email is taken.
import { randomBytes } from "node:crypto";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from "../../lib/errors.js";
import type { Locale } from "../../lib/i18n.js";
import type { UserDoc } from "../../models/user.js";
import { enqueueEvent } from "../notifications/index.js";
import { recordAudit, type Acting } from "../ops/index.js";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.js";
import { revokeUserSessions } from "./sessions.js";
import { sendVerificationLink } from "./email-verification.js";

const notDeleted = () => op({ $ne: "deleted" });

type AccountDeps = Pick<Deps, "models" | "config" | "logger">;

export interface RegisterInput {
  email: string;
  displayName: string;
  password: string;
  locale: Locale;
}

export type RegisterOutcome = { created: true; userId: string } | { created: false };

/**
 * Creates an account unless the email is taken. Both paths hash the password, so they take
 * about the same time, and callers answer both the same way.
 */
export async function registerUser(deps: AccountDeps & Pick<Deps, "clock">, input: RegisterInput): Promise<RegisterOutcome> {
  requireStrongPassword(input.password, input.email);
  const passwordHash = await hashPassword(input.password, deps.config.argon2);
  try {
    const user = await deps.models.User.create({
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      locale: input.locale,
    });
    deps.logger.info({ userId: user.id }, "user registered");
    // Follow-ups (no transactions): the welcome notification and mail, keyed by the user id, and the
    // link that confirms the address.
    await enqueueEvent(deps, { id: `user.registered:${user.id}`, type: "user.registered", payload: { userId: user.id } });
    await sendVerificationLink(deps, user.id, user.email);
    return { created: true, userId: user.id };
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { created: false };
    throw err;
  }
}

/**
 * A real argon2id hash of a random string, made on first use and kept by deps: verifying an
 * unknown email against it costs what a real check costs.
 */
export function timingHash(config: Pick<Deps["config"], "argon2">): () => Promise<string> {
  let hash: Promise<string> | undefined;
  return () => (hash ??= hashPassword(`dummy-${randomBytes(16).toString("hex")}`, config.argon2));
}

/** Every path that sets a password (register, change, create-admin) refuses a weak one the same way. */
export function requireStrongPassword(password: string, email: string | undefined, field = "password"): void {
  const weak = passwordProblem(password, email);
  if (weak) throw new ValidationError({ [field]: weak });
}

/** Checks an email/password pair. Unknown email and wrong password fail identically. */
export async function authenticate(deps: AccountDeps & Pick<Deps, "timingHash">, email: string, password: string): Promise<UserDoc> {
  const user = await deps.models.User.findOne({ email: email.toLowerCase().trim(), status: notDeleted() });
  const ok = await verifyPassword(user?.passwordHash ?? (await deps.timingHash()), password);
  if (!user || !ok) throw new UnauthorizedError("auth.invalidCredentials");
  if (user.status === "suspended") throw new ForbiddenError("auth.suspended");
  return user;
}

export async function findUserByEmail(deps: Pick<Deps, "models">, email: string): Promise<UserDoc> {
  const user = await deps.models.User.findOne({ email: email.toLowerCase().trim() });
  if (!user) throw new NotFoundError("users.notFound");
  return user;
}

/** A user's subscription as pages and gates read it (defaults for users who never subscribed). */
export function subscriptionView(user: { subscription?: { plan?: string | null; status?: string | null; currentPeriodEnd?: Date | null } | null }) {
  return {
    plan: user.subscription?.plan ?? null,
    status: user.subscription?.status ?? "none",
    currentPeriodEnd: user.subscription?.currentPeriodEnd ?? null,
  };
}

export async function getActiveUser(deps: Pick<Deps, "models">, userId: string): Promise<UserDoc | null> {
  return deps.models.User.findOne({ _id: userId, status: "active" });
}

export interface CreateAdminInput {
  email: string;
  displayName: string;
  password: string;
}

export async function createAdmin(deps: AccountDeps & Pick<Deps, "clock">, input: CreateAdminInput, by: Acting): Promise<UserDoc> {
  requireStrongPassword(input.password, input.email);
  const passwordHash = await hashPassword(input.password, deps.config.argon2);
  try {
    const { password: _plain, ...fields } = input;
    const user = await deps.models.User.create({ ...fields, passwordHash, role: "admin" });
    await recordAudit(deps, { ...by, action: "user.create-admin", target: `user:${user.id}` });
    return user;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError("users.emailTaken");
    throw err;
  }
}

/**
 * Grants the admin role; conditional on the current role so a repeat reports "already". The
 * user's live sessions are revoked: a role change must come with a new session id, and the
 * next sign-in issues one.
 */
export async function makeAdmin(deps: Pick<Deps, "models" | "redis" | "clock">, email: string, by: Acting): Promise<{ user: UserDoc; changed: boolean }> {
  const user = await findUserByEmail(deps, email);
  const res = await deps.models.User.updateOne({ _id: user._id, role: op({ $ne: "admin" }) }, { $set: { role: "admin" } });
  const changed = res.modifiedCount === 1;
  if (!changed) return { user, changed };
  await revokeUserSessions(deps.redis, user.id);
  await recordAudit(deps, { ...by, action: "user.make-admin", target: `user:${user.id}` });
  return { user, changed };
}

export async function listUsers(deps: Pick<Deps, "models">, opts: { limit: number }) {
  return deps.models.User.find({ status: notDeleted() }).sort({ createdAt: -1 }).limit(opts.limit).lean();
}

export async function setUserLocale(deps: Pick<Deps, "models">, userId: string, locale: Locale): Promise<void> {
  await deps.models.User.updateOne({ _id: userId }, { $set: { locale } });
}
