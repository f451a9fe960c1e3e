// Plays per title per day: recorded with one $inc upsert, read for Top 10 today and Trending.
import { Types } from "mongoose";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";

/** The UTC calendar day of a moment, "YYYY-MM-DD": the bucket Top 10 "today" is counted in. */
export function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `n` UTC days ending with `date`, newest first. */
export function lastDays(date: Date, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(dayKey(new Date(date.getTime() - i * 86_400_000)));
  return out;
}

/**
 * Counts plays of a title on a day (one by default; the progress flush hands over its count at
 * once). Concurrent plays of the same title on the same day all land in one document through the
 * unique (titleId, day) index.
 */
export async function recordPlay(deps: Pick<Deps, "models" | "clock">, titleId: string, day: string = dayKey(deps.clock.now()), plays = 1): Promise<void> {
  const filter = { titleId: new Types.ObjectId(titleId), day };
  try {
    await deps.models.TitleStat.updateOne(filter, { $inc: { plays } }, { upsert: true });
  } catch (err) {
    // Two first plays raced on the upsert: the document exists now, so count on it.
    if ((err as { code?: number }).code !== 11000) throw err;
    await deps.models.TitleStat.updateOne(filter, { $inc: { plays } });
  }
}

/** Title ids with the most plays on `day`. */
export async function mostPlayedOn(deps: Pick<Deps, "models">, day: string, limit: number): Promise<string[]> {
  const stats = await deps.models.TitleStat.find({ day, plays: op({ $gt: 0 }) })
    .sort({ plays: -1, titleId: 1 })
    .limit(limit)
    .select("titleId")
    .lean();
  return stats.map((s) => String(s.titleId));
}

/** Title ids with the most plays summed over the given days ($group with $sum is portable). */
export async function mostPlayedOver(deps: Pick<Deps, "models">, days: string[], limit: number): Promise<string[]> {
  const rows = await deps.models.TitleStat.aggregate<{ _id: Types.ObjectId; plays: number }>([
    { $match: { day: { $in: days } } },
    { $group: { _id: "$titleId", plays: { $sum: "$plays" } } },
    { $sort: { plays: -1, _id: 1 } },
    { $limit: limit },
  ]);
  return rows.filter((r) => r.plays > 0).map((r) => String(r._id));
}
