// titlestats: plays per title per UTC day, counted with $inc; feeds Top 10 today and Trending.
import { Schema, type Connection, type InferSchemaType } from "mongoose";

export const titleStatSchema = new Schema(
  {
    titleId: { type: Schema.Types.ObjectId, required: true },
    // UTC calendar day "YYYY-MM-DD": one document per title and day, so counting is a plain $inc.
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    plays: { type: Number, default: 0 },
  },
  { timestamps: true },
);
titleStatSchema.index({ titleId: 1, day: 1 }, { unique: true });
titleStatSchema.index({ day: 1, plays: -1 });

export type TitleStat = InferSchemaType<typeof titleStatSchema>;

export function registerTitleStatModel(conn: Connection) {
  return conn.model("TitleStat", titleStatSchema, "titlestats");
}
