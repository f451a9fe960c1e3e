// outbox: events about state changes, delivered to consumers by the dispatcher; _id is the event id.
import { Schema, type Connection, type InferSchemaType } from "mongoose";

export const OUTBOX_STATUSES = ["pending", "processing", "done", "failed"] as const;

export const outboxSchema = new Schema(
  {
    // Deterministic ids ("payment.approved:<paymentId>") make every write of an event idempotent.
    _id: { type: String, required: true },
    type: { type: String, required: true, index: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, enum: OUTBOX_STATUSES, default: "pending" },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    claimedAt: { type: Date, default: null },
    claimedBy: { type: String, default: null },
    // Consumers that finished; a redelivery skips them.
    delivered: { type: [String], default: [] },
    lastError: { type: String, default: null },
    doneAt: { type: Date, default: null },
    // W3C trace context of the work that wrote the event (null with tracing off): delivery
    // continues that trace (lib/tracing).
    traceparent: { type: String, default: null },
    tracestate: { type: String, default: null },
  },
  { timestamps: true, _id: false },
);
outboxSchema.index({ status: 1, nextAttemptAt: 1 });

export type OutboxEvent = InferSchemaType<typeof outboxSchema>;

export function registerOutboxModel(conn: Connection) {
  return conn.model("Outbox", outboxSchema, "outbox");
}
