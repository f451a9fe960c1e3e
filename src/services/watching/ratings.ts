// Thumbs: down (-1), up (1), love (2) per profile and title; they steer "Because you watched".
import type { Deps } from "../../deps.js";
import type { Viewer } from "../../lib/maturity.js";
import type { RatingValue } from "../../models/rating.js";
import { visibleTitleCard, type TitleState } from "./my-list.js";
import type { CatalogDeps, TitleCard } from "../catalog/index.js";

/** 0 means "no rating". */
export type RatingChoice = RatingValue | 0;

/**
 * Sets the profile's rating of a title; 0 clears it. Buttons send the state they want (pressing
 * the lit thumb sends 0), so a repeated request changes nothing.
 */
export async function setRating(
  deps: CatalogDeps & Pick<Deps, "clock">,
  profileId: string,
  viewer: Viewer,
  titleId: string,
  value: RatingChoice,
): Promise<TitleCard> {
  const card = await visibleTitleCard(deps, viewer, titleId);
  const filter = { profileId, titleId: card.id };
  if (value === 0) {
    await deps.models.Rating.deleteOne(filter);
    return card;
  }
  const update = { $set: { value, ratedAt: deps.clock.now() } };
  try {
    await deps.models.Rating.updateOne(filter, update, { upsert: true });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    await deps.models.Rating.updateOne(filter, update);
  }
  return card;
}

export async function getRating(deps: Pick<Deps, "models">, profileId: string, titleId: string): Promise<RatingChoice> {
  const doc = await deps.models.Rating.findOne({ profileId, titleId }, { value: 1 }).lean();
  return doc?.value ?? 0;
}

/** Titles the profile thumbed down; from the request's title state when it has one. */
export async function thumbedDownIds(deps: Pick<Deps, "models">, profileId: string, state?: TitleState): Promise<string[]> {
  if (state) return [...state.ratings].filter(([, value]) => value === -1).map(([titleId]) => titleId);
  const docs = await deps.models.Rating.find({ profileId, value: -1 }, { titleId: 1 }).lean();
  return docs.map((d) => String(d.titleId));
}

/** The profile's most recently loved titles (value 2), newest first. */
export async function recentlyLovedIds(
  deps: Pick<Deps, "models">,
  profileId: string,
  limit: number,
  state?: TitleState,
): Promise<{ titleId: string; at: Date }[]> {
  if (state) {
    return [...state.ratings]
      .filter(([, value]) => value === 2)
      .map(([titleId]) => ({ titleId, at: state.ratedAt.get(titleId)! }))
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, limit);
  }
  const docs = await deps.models.Rating.find({ profileId, value: 2 }, { titleId: 1, ratedAt: 1 }).sort({ ratedAt: -1 }).limit(limit).lean();
  return docs.map((d) => ({ titleId: String(d.titleId), at: d.ratedAt }));
}
