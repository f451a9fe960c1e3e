// Payment decisions. Every approval path (admin page, CLI, provider webhook + job) goes through
// approvePayment: a conditional update on status decides the one winner, serialized by a Redis
// lock per payment because FerretDB's conditional updates are not atomic under concurrency.
// No transactions either, so the subscription change is an idempotent follow-up keyed by payment id.
import { Types } from "mongoose";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { ConflictError, NotFoundError } from "../../lib/errors.js";
import { withLock } from "../../lib/lock.js";
import { withSpan } from "../../lib/tracing.js";
import { OPEN_PAYMENT_STATUSES } from "../../models/payment.js";
import { recordAudit } from "../ops/index.js";
import { enqueueEvent } from "../notifications/index.js";
import { closedKeyFor, getPayment, revertPendingSubscription } from "./payments.js";

type PaymentDeps = Pick<Deps, "models" | "clock" | "config" | "logger" | "redis" | "cache">;

export const paymentLockKey = (paymentId: string) => `lock:payment:${paymentId}`;
export const subscriptionLockKey = (userId: string) => `lock:subscription:${userId}`;

export interface Decision {
  actor: string; // "user:<id>", "cli:<os user>" or "job:<name>"
  ip?: string;
}

export type ApproveOutcome =
  { outcome: "approved"; paymentId: string; periodEnd: Date } | { outcome: "already-approved"; paymentId: string; periodEnd: Date | null };

export async function approvePayment(deps: PaymentDeps, paymentId: string, decision: Decision): Promise<ApproveOutcome> {
  if (!Types.ObjectId.isValid(paymentId)) throw new NotFoundError("payments.notFound");
  return withSpan("billing.approvePayment", { attributes: { "payment.id": paymentId, "decision.actor": decision.actor } }, async (span) => {
    const result = await withLock(deps.redis, paymentLockKey(paymentId), () => decideApproval(deps, paymentId, decision));
    span.setAttribute("payment.outcome", result.outcome);
    return result;
  });
}

async function decideApproval(deps: PaymentDeps, paymentId: string, decision: Decision): Promise<ApproveOutcome> {
  const now = deps.clock.now();
  const won = await deps.models.Payment.findOneAndUpdate(
    { _id: paymentId, status: op({ $in: OPEN_PAYMENT_STATUSES }) },
    { $set: { status: "approved", decidedBy: decision.actor, decidedAt: now, openKey: closedKeyFor(paymentId) } },
    { returnDocument: "after" },
  ).lean();
  if (!won) {
    const current = await getPayment(deps, paymentId);
    if (current.status === "approved") return { outcome: "already-approved", paymentId, periodEnd: current.periodEnd ?? null };
    throw new ConflictError(`payments.cannotApprove.${current.status}`);
  }
  await recordAudit(deps, {
    actor: decision.actor,
    action: "payment.approve",
    target: `payment:${paymentId}`,
    details: { userId: String(won.userId), plan: won.plan, amount: won.amount, reference: won.reference },
    ip: decision.ip,
  });
  const periodEnd = await applyApproval(deps, won);
  return { outcome: "approved", paymentId, periodEnd };
}

type ApprovedPayment = { _id: unknown; userId: unknown; plan: string; amount: number; currency: string; reference: string };

/**
 * Extends the subscription for an approved payment; safe to repeat. The user document records
 * applied payment ids, and the update is conditional on the period end we computed from, so
 * two concurrent applications (or a crash and a repair) extend exactly once.
 */
/** What every payment event carries: whose payment, which, and what was paid. */
function paymentFacts(payment: { userId: unknown; _id: unknown; plan: string; amount: number; currency: string }) {
  return { userId: String(payment.userId), paymentId: String(payment._id), plan: payment.plan, amount: payment.amount, currency: payment.currency };
}

export async function applyApproval(deps: PaymentDeps, payment: ApprovedPayment): Promise<Date> {
  return withLock(deps.redis, subscriptionLockKey(String(payment.userId)), () => applyApprovalLocked(deps, payment));
}

async function applyApprovalLocked(deps: PaymentDeps, payment: ApprovedPayment): Promise<Date> {
  const pid = String(payment._id);
  const userId = String(payment.userId);
  const periodMs = deps.config.billing.periodDays * 86_400_000;
  for (let attempt = 0; attempt < 10; attempt++) {
    const user = await deps.models.User.findById(userId, { subscription: 1 }).lean();
    if (!user) throw new NotFoundError("users.notFound");
    const sub = user.subscription ?? {};
    const now = deps.clock.now();
    if ((sub.appliedPayments ?? []).includes(pid)) {
      await finishApproval(deps, payment, sub.currentPeriodEnd ?? now);
      return sub.currentPeriodEnd ?? now;
    }
    const currentEnd = sub.currentPeriodEnd ?? null;
    const running = sub.status === "active" && currentEnd !== null && currentEnd > now;
    const from = running ? currentEnd : now;
    const periodEnd = new Date(from.getTime() + periodMs);
    // A renewal for another plan while a period runs switches plans when that period ends.
    const planChange = running && sub.plan !== payment.plan;
    const set: Record<string, unknown> = {
      "subscription.status": "active",
      "subscription.currentPeriodEnd": periodEnd,
      "subscription.cancelAtPeriodEnd": false,
      "subscription.plan": planChange ? sub.plan : payment.plan,
      "subscription.nextPlan": planChange ? payment.plan : null,
      "subscription.nextPlanFrom": planChange ? currentEnd : null,
    };
    if (!running) set["subscription.activatedAt"] = now;
    const res = await deps.models.User.updateOne(
      { _id: userId, "subscription.appliedPayments": op({ $nin: [pid] }), "subscription.currentPeriodEnd": currentEnd },
      { $set: set, $addToSet: { "subscription.appliedPayments": pid } },
    );
    if (res.modifiedCount === 1) {
      await finishApproval(deps, payment, periodEnd);
      return periodEnd;
    }
  }
  throw new ConflictError("errors.conflict");
}

async function finishApproval(deps: PaymentDeps, payment: ApprovedPayment, periodEnd: Date): Promise<void> {
  await deps.models.Payment.updateOne({ _id: payment._id, appliedAt: null }, { $set: { appliedAt: deps.clock.now(), periodEnd } });
  await enqueueEvent(deps, {
    id: `payment.approved:${String(payment._id)}`,
    type: "payment.approved",
    payload: { ...paymentFacts(payment), periodEnd: periodEnd.toISOString() },
  });
  // The receipt is a mail of its own (kept by the customer), and a page under the billing history.
  await enqueueEvent(deps, {
    id: `payment.receipt:${String(payment._id)}`,
    type: "payment.receipt",
    payload: {
      ...paymentFacts(payment),
      reference: payment.reference,
      approvedAt: deps.clock.now().toISOString(),
      periodEnd: periodEnd.toISOString(),
    },
  });
}

export async function rejectPayment(deps: PaymentDeps, paymentId: string, reason: string, decision: Decision) {
  if (!Types.ObjectId.isValid(paymentId)) throw new NotFoundError("payments.notFound");
  return withSpan("billing.rejectPayment", { attributes: { "payment.id": paymentId, "decision.actor": decision.actor } }, () =>
    withLock(deps.redis, paymentLockKey(paymentId), () => decideRejection(deps, paymentId, reason, decision)),
  );
}

async function decideRejection(deps: PaymentDeps, paymentId: string, reason: string, decision: Decision) {
  const won = await deps.models.Payment.findOneAndUpdate(
    { _id: paymentId, status: op({ $in: OPEN_PAYMENT_STATUSES }) },
    { $set: { status: "rejected", reason, decidedBy: decision.actor, decidedAt: deps.clock.now(), openKey: closedKeyFor(paymentId) } },
    { returnDocument: "after" },
  ).lean();
  if (!won) {
    const current = await getPayment(deps, paymentId);
    if (current.status === "rejected") return { outcome: "already-rejected" as const, paymentId };
    throw new ConflictError(`payments.cannotReject.${current.status}`);
  }
  await recordAudit(deps, {
    actor: decision.actor,
    action: "payment.reject",
    target: `payment:${paymentId}`,
    details: { userId: String(won.userId), reason, reference: won.reference },
    ip: decision.ip,
  });
  await revertPendingSubscription(deps, String(won.userId));
  await enqueueEvent(deps, {
    id: `payment.rejected:${paymentId}`,
    type: "payment.rejected",
    payload: { userId: String(won.userId), paymentId, reference: won.reference, reason },
  });
  return { outcome: "rejected" as const, paymentId };
}

export interface ProviderNotice {
  eventId: string;
  reference: string;
  amount: number;
  currency: string;
  paidAt?: Date;
}

export type ConfirmOutcome = "confirmed" | "duplicate" | "unknown-reference" | "amount-mismatch" | "not-open";

/** A provider says the money arrived: pending -> confirmed; the approve job then activates it. */
export async function confirmFromProvider(deps: PaymentDeps, notice: ProviderNotice): Promise<ConfirmOutcome> {
  const payment = await deps.models.Payment.findOne({ reference: notice.reference.toUpperCase() }).lean();
  if (!payment) return "unknown-reference";
  if (payment.evidence?.eventId === notice.eventId) return "duplicate";
  if (payment.status !== "pending") return payment.status === "confirmed" || payment.status === "approved" ? "duplicate" : "not-open";
  if (notice.currency !== payment.currency || notice.amount < payment.amount) {
    deps.logger.warn(
      { reference: notice.reference, amount: notice.amount, expected: payment.amount },
      "webhook amount does not cover the payment; left for review",
    );
    return "amount-mismatch";
  }
  const evidence = { provider: "webhook", eventId: notice.eventId, amount: notice.amount, paidAt: notice.paidAt ?? null, receivedAt: deps.clock.now() };
  const res = await withLock(deps.redis, paymentLockKey(String(payment._id)), () =>
    deps.models.Payment.updateOne({ _id: payment._id, status: "pending" }, { $set: { status: "confirmed", evidence } }),
  );
  if (res.modifiedCount === 0) return "duplicate";
  await recordAudit(deps, {
    actor: "provider:webhook",
    action: "payment.confirm",
    target: `payment:${String(payment._id)}`,
    details: { eventId: notice.eventId, amount: notice.amount },
  });
  const { bank } = deps.config.billing;
  await enqueueEvent(deps, {
    id: `payment.received:${String(payment._id)}`,
    type: "payment.received",
    payload: {
      ...paymentFacts(payment),
      reference: payment.reference,
      bankName: bank.name,
      accountNumber: bank.accountNumber,
      accountName: bank.accountName,
    },
  });
  return "confirmed";
}

/** The approve-confirmed-payments job: approves confirmed payments and repairs half-applied approvals. */
export async function approveConfirmedPayments(deps: PaymentDeps, actor = "job:approve-confirmed-payments") {
  const counts = { approved: 0, alreadyApproved: 0, repaired: 0, errors: 0 };
  const confirmed = await deps.models.Payment.find({ status: "confirmed" }, { _id: 1 }).limit(500).lean();
  for (const p of confirmed) {
    try {
      const r = await approvePayment(deps, String(p._id), { actor });
      counts[r.outcome === "approved" ? "approved" : "alreadyApproved"] += 1;
    } catch (err) {
      counts.errors += 1;
      deps.logger.error({ paymentId: String(p._id), err: (err as Error).message }, "could not approve confirmed payment");
    }
  }
  // An approval whose follow-up never ran (process died in between) is finished here.
  const stuckBefore = new Date(deps.clock.now().getTime() - 60_000);
  const stuck = await deps.models.Payment.find({ status: "approved", appliedAt: null, decidedAt: op({ $lt: stuckBefore }) })
    .limit(500)
    .lean();
  for (const p of stuck) {
    await applyApproval(deps, p);
    counts.repaired += 1;
  }
  return counts;
}

/** The expire-stale-payments job: pending payments nobody paid within the configured days. */
export async function expireStalePayments(deps: PaymentDeps) {
  const before = new Date(deps.clock.now().getTime() - deps.config.billing.pendingDays * 86_400_000);
  const stale = await deps.models.Payment.find({ status: "pending", createdAt: op({ $lt: before }) }, { _id: 1, userId: 1 })
    .limit(1000)
    .lean();
  let expired = 0;
  for (const p of stale) {
    const res = await withLock(deps.redis, paymentLockKey(String(p._id)), () =>
      deps.models.Payment.updateOne(
        { _id: p._id, status: "pending" },
        {
          $set: {
            status: "expired",
            reason: "not paid in time",
            decidedBy: "job:expire-stale-payments",
            decidedAt: deps.clock.now(),
            openKey: closedKeyFor(String(p._id)),
          },
        },
      ),
    );
    if (res.modifiedCount === 1) {
      expired += 1;
      await revertPendingSubscription(deps, String(p.userId));
    }
  }
  return { expired };
}
