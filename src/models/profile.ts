// profiles: the people who watch on an account (1..5), with kids ceilings and an optional PIN.
import { Schema, type Connection, type HydratedDocument, type InferSchemaType } from "mongoose";
import { reportWrites } from "./write-hooks.js";

export const MAX_PROFILES = 5;
export const AVATARS = ["red", "blue", "green", "yellow", "purple", "teal", "orange", "pink"] as const;
export type Avatar = (typeof AVATARS)[number];

export const profileSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    // 0..4; unique per user so two concurrent creates can never make a sixth profile.
    slot: { type: Number, required: true, min: 0, max: MAX_PROFILES - 1 },
    name: { type: String, required: true, trim: true },
    avatar: { type: String, enum: AVATARS, default: "red" },
    kids: { type: Boolean, default: false },
    // Highest maturity rating this profile may see; null means no ceiling.
    maxMaturity: { type: String, default: null },
    pinHash: { type: String, default: null },
    // The subtitle language last chosen in the player ("off" when turned off; null: never chosen).
    subtitleLang: { type: String, default: null },
  },
  { timestamps: true },
);
profileSchema.index({ userId: 1, slot: 1 }, { unique: true });
reportWrites(profileSchema, "Profile", "userId");

export type Profile = InferSchemaType<typeof profileSchema>;
export type ProfileDoc = HydratedDocument<Profile>;

export function registerProfileModel(conn: Connection) {
  return conn.model("Profile", profileSchema, "profiles");
}
