// ratings: thumbs down (-1), up (1) or love (2), one document per (profile, title).
import { Schema, type Connection, type InferSchemaType } from "mongoose";
import { reportWrites } from "./write-hooks.js";

export const RATING_VALUES = [-1, 1, 2] as const;
export type RatingValue = (typeof RATING_VALUES)[number];

export const ratingSchema = new Schema(
  {
    profileId: { type: Schema.Types.ObjectId, required: true },
    titleId: { type: Schema.Types.ObjectId, required: true },
    value: { type: Number, enum: RATING_VALUES, required: true },
    ratedAt: { type: Date, required: true },
  },
  { timestamps: true },
);
ratingSchema.index({ profileId: 1, titleId: 1 }, { unique: true });
ratingSchema.index({ profileId: 1, ratedAt: -1 });
reportWrites(ratingSchema, "Rating", "profileId");

export type Rating = InferSchemaType<typeof ratingSchema>;

export function registerRatingModel(conn: Connection) {
  return conn.model("Rating", ratingSchema, "ratings");
}
