// Checkout and payment records: one open payment per user, a human-typable reference, the transfer QR.
import { randomInt } from "node:crypto";
import { Types } from "mongoose";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { ConflictError, NotFoundError } from "../../lib/errors.js";
import { withLock } from "../../lib/lock.js";
import { qrSvgPath, vietQrPayload, type QrSvg } from "../../lib/vietqr.js";
import { OPEN_PAYMENT_STATUSES, type PaymentStatus } from "../../models/payment.js";
import { getPlan } from "./plans.js";

// No 0/O, 1/I/L or U: a reference read aloud or typed into a banking app survives.
const REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

export function generateReference(): string {
  let ref = "NF";
  for (let i = 0; i < 8; i++) ref += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return ref;
}

export const openKeyFor = (userId: string) => `open:${userId}`;
export const closedKeyFor = (paymentId: string) => `closed:${paymentId}`;

export async function findOpenPayment(deps: Pick<Deps, "models">, userId: string) {
  return deps.models.Payment.findOne({ openKey: openKeyFor(userId) }).lean();
}

/**
 * Returns the user's open payment, or creates a pending one for `planId`. The unique openKey
 * makes two concurrent checkouts end with one payment.
 */
export async function openCheckout(deps: Pick<Deps, "models" | "config">, userId: string, planId: string) {
  const existing = await findOpenPayment(deps, userId);
  if (existing) return { payment: existing, created: false };
  const plan = getPlan(deps.config, planId);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const created = await deps.models.Payment.create({
        userId: new Types.ObjectId(userId),
        plan: plan.id,
        amount: plan.price,
        currency: deps.config.currency,
        reference: generateReference(),
        openKey: openKeyFor(userId),
      });
      // "Waiting for approval" for accounts without a running period; a renewal stays active.
      await deps.models.User.updateOne(
        { _id: userId, "subscription.status": op({ $in: ["none", "expired", "canceled"] }) },
        { $set: { "subscription.status": "pending" } },
      );
      return { payment: created.toObject(), created: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // Either another checkout won the openKey race, or the reference collided: look, then retry.
      const winner = await findOpenPayment(deps, userId);
      if (winner) return { payment: winner, created: false };
    }
  }
  throw new ConflictError("checkout.tryAgain");
}

/** A payment of this user; another user's payment id is a 404, never a 403. */
export async function getUserPayment(deps: Pick<Deps, "models">, userId: string, paymentId: string) {
  if (!Types.ObjectId.isValid(paymentId)) throw new NotFoundError("checkout.notFound");
  const payment = await deps.models.Payment.findOne({ _id: paymentId, userId }).lean();
  if (!payment) throw new NotFoundError("checkout.notFound");
  return payment;
}

export interface TransferInstructions {
  bankName: string;
  bankBin: string;
  accountNumber: string;
  accountName: string;
  amount: number;
  currency: string;
  reference: string;
  payload: string;
  qr: QrSvg;
}

export function transferInstructions(config: Deps["config"], payment: { amount: number; currency: string; reference: string }): TransferInstructions {
  const { bank } = config.billing;
  const payload = vietQrPayload({
    bankBin: bank.bin,
    accountNumber: bank.accountNumber,
    amount: payment.amount,
    currency: payment.currency,
    memo: payment.reference,
  });
  return {
    bankName: bank.name,
    bankBin: bank.bin,
    accountNumber: bank.accountNumber,
    accountName: bank.accountName,
    amount: payment.amount,
    currency: payment.currency,
    reference: payment.reference,
    payload,
    qr: qrSvgPath(payload),
  };
}

/** The receipt of one of the user's approved payments; anything else is a 404. */
export async function getReceipt(deps: Pick<Deps, "models" | "config">, userId: string, paymentId: string) {
  const payment = await getUserPayment(deps, userId, paymentId);
  if (payment.status !== "approved") throw new NotFoundError("billing.receiptNotFound");
  const user = await deps.models.User.findById(userId, { email: 1, displayName: 1 }).lean();
  return {
    number: payment.reference,
    plan: payment.plan,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    paidOn: payment.decidedAt ?? payment.createdAt,
    periodEnd: payment.periodEnd ?? null,
    customer: { name: user?.displayName ?? "", email: user?.email ?? "" },
    seller: deps.config.billing.bank.accountName,
  };
}

/** The user withdraws a payment they have not paid yet (to pick another plan). */
export async function cancelOpenPayment(deps: Pick<Deps, "models" | "clock" | "redis">, userId: string, paymentId: string): Promise<void> {
  const payment = await getUserPayment(deps, userId, paymentId);
  const res = await withLock(deps.redis, `lock:payment:${paymentId}`, () =>
    deps.models.Payment.updateOne(
      { _id: payment._id, userId, status: "pending" },
      {
        $set: {
          status: "expired",
          reason: "canceled by user",
          decidedBy: `user:${userId}`,
          decidedAt: deps.clock.now(),
          openKey: closedKeyFor(String(payment._id)),
        },
      },
    ),
  );
  if (res.modifiedCount === 0) throw new ConflictError("checkout.cannotCancel");
  await revertPendingSubscription(deps, userId);
}

/** After a payment closes without approval, "waiting for approval" goes back to what it was. */
export async function revertPendingSubscription(deps: Pick<Deps, "models">, userId: string): Promise<void> {
  const user = await deps.models.User.findOne({ _id: userId, "subscription.status": "pending" }, { subscription: 1 }).lean();
  if (!user) return;
  const status = user.subscription?.currentPeriodEnd ? "expired" : "none";
  await deps.models.User.updateOne({ _id: userId, "subscription.status": "pending" }, { $set: { "subscription.status": status } });
}

export async function listUserPayments(deps: Pick<Deps, "models">, userId: string, limit = 50) {
  return deps.models.Payment.find({ userId }).sort({ createdAt: -1 }).limit(limit).lean();
}

export interface PaymentFilter {
  status?: PaymentStatus | "open";
  userId?: string;
  limit?: number;
  skip?: number;
}

export async function listPayments(deps: Pick<Deps, "models">, filter: PaymentFilter = {}) {
  const query: Record<string, unknown> = {};
  if (filter.status === "open") query.status = op({ $in: OPEN_PAYMENT_STATUSES });
  else if (filter.status) query.status = filter.status;
  if (filter.userId) query.userId = filter.userId;
  const [items, total] = await Promise.all([
    deps.models.Payment.find(query)
      .sort({ createdAt: -1 })
      .skip(filter.skip ?? 0)
      .limit(filter.limit ?? 50)
      .lean(),
    deps.models.Payment.countDocuments(query),
  ]);
  const userIds = [...new Set(items.map((p) => String(p.userId)))];
  const users = await deps.models.User.find({ _id: op({ $in: userIds }) }, { email: 1, displayName: 1 }).lean();
  const emails = new Map(users.map((u) => [String(u._id), u.email]));
  return { items: items.map((p) => ({ ...p, email: emails.get(String(p.userId)) ?? "" })), total };
}

export async function getPayment(deps: Pick<Deps, "models">, paymentId: string) {
  if (!Types.ObjectId.isValid(paymentId)) throw new NotFoundError("payments.notFound");
  const payment = await deps.models.Payment.findById(paymentId).lean();
  if (!payment) throw new NotFoundError("payments.notFound");
  return payment;
}

/** A payment with its user's email, as the admin queue row shows it. */
export async function getPaymentRow(deps: Pick<Deps, "models">, paymentId: string) {
  const payment = await getPayment(deps, paymentId);
  const user = await deps.models.User.findById(payment.userId, { email: 1 }).lean();
  return { ...payment, email: user?.email ?? "" };
}
