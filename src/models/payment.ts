// payments: one bank transfer for one period of one plan, from pending to a decision.
import { Schema, Types, type Connection, type HydratedDocument, type InferSchemaType } from "mongoose";

export const PAYMENT_STATUSES = ["pending", "confirmed", "approved", "rejected", "expired"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** Statuses that still wait for a decision; a user has at most one payment in them. */
export const OPEN_PAYMENT_STATUSES: PaymentStatus[] = ["pending", "confirmed"];

const evidenceSchema = new Schema(
  {
    provider: { type: String, default: null },
    eventId: { type: String, default: null },
    amount: { type: Number, default: null },
    paidAt: { type: Date, default: null },
    receivedAt: { type: Date, default: null },
  },
  { _id: false },
);

export const paymentSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true, index: true },
    plan: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    method: { type: String, enum: ["bank_transfer"], default: "bank_transfer" },
    reference: { type: String, required: true, unique: true },
    status: { type: String, enum: PAYMENT_STATUSES, default: "pending", index: true },
    // "open:<userId>" while pending/confirmed, "closed:<paymentId>" after: a plain unique index
    // then allows one open payment per user without partial indexes (FerretDB has none).
    openKey: { type: String, required: true, unique: true },
    evidence: { type: evidenceSchema, default: null },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null, index: true },
    reason: { type: String, default: null },
    // Set once the approval has been applied to the subscription (the follow-up step).
    appliedAt: { type: Date, default: null },
    periodEnd: { type: Date, default: null },
  },
  { timestamps: true },
);
paymentSchema.index({ status: 1, createdAt: -1 });
paymentSchema.index({ userId: 1, createdAt: -1 });

export type Payment = InferSchemaType<typeof paymentSchema>;
export type PaymentDoc = HydratedDocument<Payment>;

export function registerPaymentModel(conn: Connection) {
  return conn.model("Payment", paymentSchema, "payments");
}
