// sent_mail: one record per mail the outbox sent (or could never send), keyed by the event id.
import { Schema, Types, type Connection, type InferSchemaType } from "mongoose";

export const SENT_MAIL_STATUSES = ["sent", "rejected"] as const;

export const sentMailSchema = new Schema(
  {
    // The outbox event id: a redelivered event finds its record and sends nothing.
    _id: { type: String, required: true },
    template: { type: String, required: true },
    // Whose mail it was: deleting the account deletes these records (they name the address).
    userId: { type: Types.ObjectId, required: true, index: true },
    to: { type: String, required: true, index: true },
    // "rejected": the server refused the address for good (5xx); the mail is not retried.
    status: { type: String, enum: SENT_MAIL_STATUSES, required: true },
    messageId: { type: String, default: null },
    error: { type: String, default: null },
  },
  { timestamps: true, _id: false },
);
sentMailSchema.index({ createdAt: -1 });

export type SentMail = InferSchemaType<typeof sentMailSchema>;

export function registerSentMailModel(conn: Connection) {
  return conn.model("SentMail", sentMailSchema, "sent_mail");
}
