// watchprogress: where a profile stopped in a film or episode, one document per (profile, title, episode).
import { Schema, type Connection, type InferSchemaType } from "mongoose";
import { reportWrites } from "./write-hooks.js";

/** The episode key of a film; episodes use "s<season>e<episode>". */
export const MOVIE_KEY = "main";

export const watchProgressSchema = new Schema(
  {
    profileId: { type: Schema.Types.ObjectId, required: true },
    titleId: { type: Schema.Types.ObjectId, required: true },
    episodeKey: { type: String, required: true },
    positionSec: { type: Number, required: true, min: 0 },
    durationSec: { type: Number, required: true, min: 0 },
    completed: { type: Boolean, default: false },
    lastWatchedAt: { type: Date, required: true },
    // The player's timestamp of the save that wrote this position; older saves are ignored.
    clientTs: { type: Number, required: true },
    hiddenFromRow: { type: Boolean, default: false },
  },
  { timestamps: true },
);
watchProgressSchema.index({ profileId: 1, titleId: 1, episodeKey: 1 }, { unique: true });
watchProgressSchema.index({ profileId: 1, lastWatchedAt: -1 });
reportWrites(watchProgressSchema, "WatchProgress", "profileId");

export type WatchProgress = InferSchemaType<typeof watchProgressSchema>;

export function registerWatchProgressModel(conn: Connection) {
  return conn.model("WatchProgress", watchProgressSchema, "watchprogress");
}
