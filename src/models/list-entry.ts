// listentries: My List, one document per (profile, title) so adds and removes are single-document.
import { Schema, type Connection, type InferSchemaType } from "mongoose";
import { reportWrites } from "./write-hooks.js";

export const listEntrySchema = new Schema(
  {
    profileId: { type: Schema.Types.ObjectId, required: true },
    titleId: { type: Schema.Types.ObjectId, required: true },
    addedAt: { type: Date, required: true },
  },
  { timestamps: true },
);
listEntrySchema.index({ profileId: 1, titleId: 1 }, { unique: true });
listEntrySchema.index({ profileId: 1, addedAt: -1 });
reportWrites(listEntrySchema, "ListEntry", "profileId");

export type ListEntry = InferSchemaType<typeof listEntrySchema>;

export function registerListEntryModel(conn: Connection) {
  return conn.model("ListEntry", listEntrySchema, "listentries");
}
