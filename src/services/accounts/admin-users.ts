// Operator actions on accounts: search, detail, suspend / unsuspend, sign out everywhere.
import { isObjectId } from "../../lib/validation.js";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { csvLine } from "../../lib/csv.js";
import { NotFoundError } from "../../lib/errors.js";
import { SUBSCRIPTION_STATUSES, USER_STATUSES } from "../../models/user.js";
import { recordAudit } from "../ops/index.js";
import { revokeUserSessions } from "./sessions.js";

type AdminDeps = Pick<Deps, "models" | "redis" | "clock">;

// Audit lines name accounts by id only (target "user:<id>"): an email in the details would
// outlive the account's deletion.

/** A user by id or email (CLI arguments accept either). */
export async function resolveUser(deps: Pick<Deps, "models">, ref: string) {
  const trimmed = ref.trim();
  const filter = isObjectId(trimmed) ? { _id: trimmed } : { email: trimmed.toLowerCase() };
  const user = await deps.models.User.findOne(filter).lean();
  if (!user) throw new NotFoundError("users.notFound");
  return user;
}

export interface UserSearch {
  q?: string;
  status?: (typeof USER_STATUSES)[number];
  subscription?: (typeof SUBSCRIPTION_STATUSES)[number];
  plan?: string;
  page: number;
  pageSize: number;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function userSearchFilter(s: Omit<UserSearch, "page" | "pageSize">) {
  const filter: Record<string, unknown> = {};
  if (s.q) {
    // Prefix match on email or display name: anchored, escaped, case-insensitive.
    const prefix = `^${escapeRegex(s.q.trim())}`;
    filter.$or = [{ email: op({ $regex: prefix, $options: "i" }) }, { displayName: op({ $regex: prefix, $options: "i" }) }];
  }
  if (s.status) filter.status = s.status;
  else filter.status = op({ $ne: "deleted" });
  if (s.subscription) filter["subscription.status"] = s.subscription;
  if (s.plan) filter["subscription.plan"] = s.plan;
  return filter;
}

export async function searchUsers(deps: Pick<Deps, "models">, s: UserSearch) {
  const filter = userSearchFilter(s);
  const [items, total] = await Promise.all([
    deps.models.User.find(filter, { passwordHash: 0 })
      .sort({ createdAt: -1 })
      .skip((s.page - 1) * s.pageSize)
      .limit(s.pageSize)
      .lean(),
    deps.models.User.countDocuments(filter),
  ]);
  return { items, total, page: s.page, pages: Math.max(1, Math.ceil(total / s.pageSize)) };
}

/** Suspends and signs the user out everywhere; a live session is turned away on its next request. */
export async function suspendUser(deps: AdminDeps, ref: string, actor: string, ip?: string) {
  const user = await resolveUser(deps, ref);
  const res = await deps.models.User.updateOne({ _id: user._id, status: "active" }, { $set: { status: "suspended" } });
  const revoked = await revokeUserSessions(deps.redis, String(user._id));
  if (res.modifiedCount === 1)
    await recordAudit(deps, {
      actor,
      action: "user.suspend",
      target: `user:${String(user._id)}`,
      details: { sessionsRevoked: revoked },
      ip,
    });
  return { user, changed: res.modifiedCount === 1, revoked };
}

export async function unsuspendUser(deps: AdminDeps, ref: string, actor: string, ip?: string) {
  const user = await resolveUser(deps, ref);
  const res = await deps.models.User.updateOne({ _id: user._id, status: "suspended" }, { $set: { status: "active" } });
  if (res.modifiedCount === 1) await recordAudit(deps, { actor, action: "user.unsuspend", target: `user:${String(user._id)}`, ip });
  return { user, changed: res.modifiedCount === 1 };
}

export async function signOutEverywhere(deps: AdminDeps, ref: string, actor: string, ip?: string) {
  const user = await resolveUser(deps, ref);
  const revoked = await revokeUserSessions(deps.redis, String(user._id));
  await recordAudit(deps, { actor, action: "sessions.revoke", target: `user:${String(user._id)}`, details: { revoked }, ip });
  return { user, revoked };
}

/** The users a search finds, as CSV rows streamed from a cursor. */
export async function* usersCsv(deps: Pick<Deps, "models">, search: Omit<UserSearch, "page" | "pageSize">): AsyncGenerator<string> {
  yield csvLine(["id", "email", "displayName", "role", "status", "plan", "subscription", "currentPeriodEnd", "createdAt"]);
  const cursor = deps.models.User.find(userSearchFilter(search), { passwordHash: 0 }).sort({ createdAt: -1 }).lean().cursor();
  for await (const u of cursor) {
    yield csvLine([
      u._id,
      u.email,
      u.displayName,
      u.role,
      u.status,
      u.subscription?.plan,
      u.subscription?.status,
      u.subscription?.currentPeriodEnd,
      u.createdAt,
    ]);
  }
}
