// Subscription lifecycle: the billing summary, change plan / cancel by the user, expiry and
// reminders by jobs, and operator adjustments. Outbox events use deterministic ids.
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { ConflictError, NotFoundError } from "../../lib/errors.js";
import { withLock } from "../../lib/lock.js";
import { recordAudit } from "../ops/index.js";
import { enqueueEvent } from "../notifications/index.js";
import { findOpenPayment, listUserPayments, transferInstructions } from "./payments.js";
import { findPlan, getPlan, listPlans } from "./plans.js";

type SubDeps = Pick<Deps, "models" | "clock" | "config" | "redis">;

// Same key as payments-approval: every change to one user's subscription period is serialized.
const subscriptionLock = (userId: string) => `lock:subscription:${userId}`;

/** What the account page's billing section shows (src/views/account/_billing.eta). */
export async function getBillingSummary(deps: SubDeps, userId: string) {
  const user = await deps.models.User.findById(userId, { subscription: 1 }).lean();
  if (!user) throw new NotFoundError("users.notFound");
  const sub = user.subscription ?? {};
  const [openPayment, payments] = await Promise.all([findOpenPayment(deps, userId), listUserPayments(deps, userId, 24)]);
  const now = deps.clock.now();
  return {
    plan: findPlan(deps.config, sub.plan) ?? null,
    status: sub.status ?? "none",
    active: sub.status === "active" && !!sub.currentPeriodEnd && sub.currentPeriodEnd > now,
    currentPeriodEnd: sub.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: Boolean(sub.cancelAtPeriodEnd),
    nextPlan: findPlan(deps.config, sub.nextPlan) ?? null,
    nextPlanFrom: sub.nextPlanFrom ?? null,
    openPayment: openPayment ? { ...openPayment, transfer: transferInstructions(deps.config, openPayment) } : null,
    payments,
    plans: listPlans(deps.config),
    currency: deps.config.currency,
  };
}
export type BillingSummary = Awaited<ReturnType<typeof getBillingSummary>>;

/**
 * Chooses the plan for the next period. It never changes the running period; the next
 * checkout uses it, and an approved renewal switches plans when the current period ends.
 */
export async function changePlan(deps: SubDeps, userId: string, planId: string, ip?: string) {
  const plan = getPlan(deps.config, planId);
  const user = await deps.models.User.findById(userId, { subscription: 1 }).lean();
  if (!user) throw new NotFoundError("users.notFound");
  const next = user.subscription?.plan === plan.id ? null : plan.id;
  await deps.models.User.updateOne({ _id: userId }, { $set: { "subscription.nextPlan": next, "subscription.nextPlanFrom": null } });
  await recordAudit(deps, { actor: `user:${userId}`, action: "subscription.change-plan", target: `user:${userId}`, details: { nextPlan: plan.id }, ip });
  return plan;
}

/** Cancel keeps access until the period end; the expire job then marks it canceled. */
export async function setCancelAtPeriodEnd(deps: SubDeps, userId: string, cancel: boolean, ip?: string) {
  const res = await deps.models.User.updateOne(
    { _id: userId, "subscription.status": "active", "subscription.cancelAtPeriodEnd": !cancel },
    { $set: { "subscription.cancelAtPeriodEnd": cancel } },
  );
  if (res.modifiedCount === 0) {
    const user = await deps.models.User.findById(userId, { subscription: 1 }).lean();
    if (user?.subscription?.status !== "active") throw new ConflictError("billing.notActive");
    return false;
  }
  await recordAudit(deps, { actor: `user:${userId}`, action: cancel ? "subscription.cancel" : "subscription.resume", target: `user:${userId}`, ip });
  return true;
}

const eventKey = (userId: string, end: Date) => `${userId}:${end.toISOString()}`;

/**
 * Ends every active subscription whose period is over. Each user flips with a conditional
 * update on (status, period end), so a second run changes nothing; the outbox event id is
 * keyed by that period, and a sweep re-writes missing events for recent expiries.
 */
export async function expireSubscriptions(deps: SubDeps, opts: { dryRun?: boolean; actor?: string } = {}) {
  const now = deps.clock.now();
  const due = await deps.models.User.find(
    { "subscription.status": "active", "subscription.currentPeriodEnd": op({ $lte: now }) },
    { email: 1, subscription: 1 },
  ).lean();
  const rows = due.map((u) => ({ userId: String(u._id), email: u.email, plan: u.subscription?.plan ?? null, periodEnd: u.subscription.currentPeriodEnd! }));
  if (opts.dryRun) return { dryRun: true, expired: 0, users: rows, plansSwitched: 0 };
  let expired = 0;
  for (const [i, u] of due.entries()) {
    const end = u.subscription.currentPeriodEnd!;
    const status = u.subscription?.cancelAtPeriodEnd ? "canceled" : "expired";
    const res = await withLock(deps.redis, subscriptionLock(rows[i]!.userId), () =>
      deps.models.User.updateOne(
        { _id: u._id, "subscription.status": "active", "subscription.currentPeriodEnd": end },
        { $set: { "subscription.status": status } },
      ),
    );
    if (res.modifiedCount === 0) continue;
    expired += 1;
    await enqueueEvent(deps, {
      id: `subscription.expired:${eventKey(rows[i]!.userId, end)}`,
      type: "subscription.expired",
      payload: { userId: rows[i]!.userId, periodEnd: end.toISOString(), status },
    });
    if (opts.actor?.startsWith("cli:"))
      await recordAudit(deps, {
        actor: opts.actor,
        action: "subscription.expire",
        target: `user:${rows[i]!.userId}`,
        details: { periodEnd: end.toISOString() },
      });
  }
  await sweepExpiredEvents(deps, now);
  const plansSwitched = await switchScheduledPlans(deps, now);
  return { dryRun: false, expired, users: rows, plansSwitched };
}

async function sweepExpiredEvents(deps: SubDeps, now: Date) {
  const since = new Date(now.getTime() - 2 * 86_400_000);
  const recent = await deps.models.User.find(
    { "subscription.status": op({ $in: ["expired", "canceled"] }), "subscription.currentPeriodEnd": op({ $gte: since, $lte: now }) },
    { subscription: 1 },
  ).lean();
  for (const u of recent) {
    const end = u.subscription.currentPeriodEnd!;
    await enqueueEvent(deps, {
      id: `subscription.expired:${eventKey(String(u._id), end)}`,
      type: "subscription.expired",
      payload: { userId: String(u._id), periodEnd: end.toISOString(), status: u.subscription.status },
    });
  }
}

/** Renewals for another plan take effect when the period they were bought in ends. */
async function switchScheduledPlans(deps: SubDeps, now: Date): Promise<number> {
  const due = await deps.models.User.find({ "subscription.nextPlanFrom": op({ $lte: now }) }, { subscription: 1 }).lean();
  let switched = 0;
  for (const u of due) {
    const res = await deps.models.User.updateOne(
      { _id: u._id, "subscription.nextPlanFrom": u.subscription.nextPlanFrom },
      { $set: { "subscription.plan": u.subscription.nextPlan, "subscription.nextPlan": null, "subscription.nextPlanFrom": null } },
    );
    switched += res.modifiedCount;
  }
  return switched;
}

/** "Your plan ends soon" for active, not-canceled subscriptions ending within the reminder window. */
export async function remindExpiring(deps: SubDeps) {
  const now = deps.clock.now();
  const until = new Date(now.getTime() + deps.config.billing.remindBeforeDays * 86_400_000);
  const due = await deps.models.User.find(
    { "subscription.status": "active", "subscription.cancelAtPeriodEnd": op({ $ne: true }), "subscription.currentPeriodEnd": op({ $gt: now, $lte: until }) },
    { subscription: 1 },
  ).lean();
  let reminded = 0;
  for (const u of due) {
    const end = u.subscription.currentPeriodEnd!;
    const created = await enqueueEvent(deps, {
      id: `subscription.expiring:${eventKey(String(u._id), end)}`,
      type: "subscription.expiring",
      payload: { userId: String(u._id), periodEnd: end.toISOString() },
    });
    if (created) reminded += 1;
  }
  return { due: due.length, reminded };
}

/** Operator: add days to a subscription (from the later of now and the current end). */
export async function extendSubscription(deps: SubDeps, userId: string, days: number, actor: string, ip?: string) {
  return withLock(deps.redis, subscriptionLock(userId), () => extendLocked(deps, userId, days, actor, ip));
}

async function extendLocked(deps: SubDeps, userId: string, days: number, actor: string, ip?: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const user = await deps.models.User.findById(userId, { subscription: 1 }).lean();
    if (!user) throw new NotFoundError("users.notFound");
    const now = deps.clock.now();
    const current = user.subscription?.currentPeriodEnd ?? null;
    const from = current && current > now ? current : now;
    const periodEnd = new Date(from.getTime() + days * 86_400_000);
    const plan = user.subscription?.plan ?? deps.config.plans[0]!.id;
    const res = await deps.models.User.updateOne(
      { _id: userId, "subscription.currentPeriodEnd": current },
      {
        $set: {
          "subscription.status": "active",
          "subscription.currentPeriodEnd": periodEnd,
          "subscription.plan": plan,
          ...(current && current > now ? {} : { "subscription.activatedAt": now }),
        },
      },
    );
    if (res.modifiedCount === 1) {
      await recordAudit(deps, { actor, action: "subscription.extend", target: `user:${userId}`, details: { days, periodEnd: periodEnd.toISOString() }, ip });
      return periodEnd;
    }
  }
  throw new ConflictError("errors.conflict");
}

/** Operator: switch the current plan now (no payment involved). */
export async function setPlanNow(deps: SubDeps, userId: string, planId: string, actor: string, ip?: string) {
  const plan = getPlan(deps.config, planId);
  const res = await deps.models.User.updateOne(
    { _id: userId },
    { $set: { "subscription.plan": plan.id, "subscription.nextPlan": null, "subscription.nextPlanFrom": null } },
  );
  if (res.matchedCount === 0) throw new NotFoundError("users.notFound");
  await recordAudit(deps, { actor, action: "subscription.set-plan", target: `user:${userId}`, details: { plan: plan.id }, ip });
  return plan;
}
