// reminders: "Remind me" on a Coming soon title, one document per (profile, title); the release
// job notifies each once and stamps `notifiedAt`.
import { Schema, type Connection, type InferSchemaType } from "mongoose";
import { reportWrites } from "./write-hooks.js";

export const reminderSchema = new Schema(
  {
    profileId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    titleId: { type: Schema.Types.ObjectId, required: true },
    notifiedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
reminderSchema.index({ profileId: 1, titleId: 1 }, { unique: true });
reminderSchema.index({ titleId: 1, notifiedAt: 1 });
reminderSchema.index({ userId: 1 });
// Part of the profile's state about titles (with My List and ratings): pages kept by its version
// show the Remind me state, so a toggle must give them a new one.
reportWrites(reminderSchema, "Reminder", "profileId");

export type Reminder = InferSchemaType<typeof reminderSchema>;

export function registerReminderModel(conn: Connection) {
  return conn.model("Reminder", reminderSchema, "reminders");
}
