// notifications: in-app messages for one user; title/body are translation keys rendered in the reader's language.
import { Schema, Types, type Connection, type InferSchemaType } from "mongoose";
import { reportWrites } from "./write-hooks.js";

export const notificationSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true },
    type: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: "" },
    params: { type: Schema.Types.Mixed, default: {} },
    link: { type: String, default: null },
    readAt: { type: Date, default: null },
    // "<consumer>:<event id>": a redelivered outbox event cannot create a second notification.
    dedupeKey: { type: String, required: true, unique: true },
  },
  { timestamps: true },
);
notificationSchema.index({ userId: 1, createdAt: -1 });
notificationSchema.index({ userId: 1, readAt: 1 });
reportWrites(notificationSchema, "Notification", "userId");

export type Notification = InferSchemaType<typeof notificationSchema>;

export function registerNotificationModel(conn: Connection) {
  return conn.model("Notification", notificationSchema, "notifications");
}
