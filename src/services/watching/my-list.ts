// My List: titles a profile saved for later; one document per (profile, title).
import type { Deps } from "../../deps.js";
import { NotFoundError } from "../../lib/errors.js";
import type { Viewer } from "../../lib/maturity.js";
import { cachedState, type SeenVersions, type StateScope } from "../../lib/state-cache.js";
import { getTitleCardsByIds, type CatalogDeps, type TitleCard } from "../catalog/index.js";

const MY_LIST_MAX = 500;

/** 404 unless the title is published and within the profile's maturity ceiling. */
export async function visibleTitleCard(deps: CatalogDeps, viewer: Viewer, titleId: string): Promise<TitleCard> {
  const [card] = await getTitleCardsByIds(deps, viewer, [titleId]);
  if (!card) throw new NotFoundError("catalog.titleNotFound");
  return card;
}

/**
 * Puts a title in or out of My List. The request names the state it wants (not "toggle"), and
 * the add is an upsert on the unique pair, so a double click or two tabs still leave one entry.
 */
export async function setInMyList(
  deps: CatalogDeps & Pick<Deps, "clock">,
  profileId: string,
  viewer: Viewer,
  titleId: string,
  inList: boolean,
): Promise<TitleCard> {
  const card = await visibleTitleCard(deps, viewer, titleId);
  const filter = { profileId, titleId: card.id };
  if (!inList) {
    await deps.models.ListEntry.deleteOne(filter);
    return card;
  }
  try {
    await deps.models.ListEntry.updateOne(filter, { $setOnInsert: { addedAt: deps.clock.now() } }, { upsert: true });
  } catch (err) {
    // The other of two concurrent upserts inserted first: the entry exists, which is the goal.
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return card;
}

export async function isInMyList(deps: Pick<Deps, "models">, profileId: string, titleId: string): Promise<boolean> {
  return (await deps.models.ListEntry.countDocuments({ profileId, titleId })) > 0;
}

/**
 * The profile's list, newest first, as cards the viewer may see. With the request's `state`
 * (already loaded for the page's buttons) it needs no query of its own.
 */
export async function listMyList(deps: CatalogDeps, profileId: string, viewer: Viewer, limit = MY_LIST_MAX, state?: TitleState): Promise<TitleCard[]> {
  const ids = state
    ? state.listOrder.slice(0, limit)
    : (await deps.models.ListEntry.find({ profileId }, { titleId: 1 }).sort({ addedAt: -1, _id: -1 }).limit(limit).lean()).map((e) => String(e.titleId));
  return getTitleCardsByIds(deps, viewer, ids);
}

export interface TitleState {
  listed: Set<string>;
  /** Listed title ids, newest first. */
  listOrder: string[];
  ratings: Map<string, number>;
  ratedAt: Map<string, Date>;
}

type StoredTitleState = { listOrder: string[]; ratings: [string, number, string][] };

/** A profile's list and ratings, cached per profile; list entry and rating writes report themselves (see bootstrap). */
export const TITLE_STATE: StateScope<TitleState, StoredTitleState> = {
  name: "title-state",
  ttlSeconds: 600,
  toStored: (s) => ({ listOrder: s.listOrder, ratings: [...s.ratings].map(([id, value]) => [id, value, s.ratedAt.get(id)!.toISOString()]) }),
  fromStored: (s) => ({
    listed: new Set(s.listOrder),
    listOrder: s.listOrder,
    ratings: new Map(s.ratings.map(([id, value]) => [id, value])),
    ratedAt: new Map(s.ratings.map(([id, , at]) => [id, new Date(at)])),
  }),
};

/**
 * The profile's list and ratings, loaded once per page: every card and dialog shows its state
 * from it, and the My List and "Because you watched" rows reuse it instead of querying again.
 */
export function loadTitleState(deps: Pick<Deps, "models" | "redis" | "logger" | "cache">, profileId: string, seen?: SeenVersions): Promise<TitleState> {
  return cachedState(
    deps,
    TITLE_STATE,
    profileId,
    async () => {
      const [entries, ratings] = await Promise.all([
        deps.models.ListEntry.find({ profileId }, { titleId: 1 }).sort({ addedAt: -1, _id: -1 }).limit(MY_LIST_MAX).lean(),
        deps.models.Rating.find({ profileId }, { titleId: 1, value: 1, ratedAt: 1 }).lean(),
      ]);
      const listOrder = entries.map((e) => String(e.titleId));
      return {
        listed: new Set(listOrder),
        listOrder,
        ratings: new Map(ratings.map((r) => [String(r.titleId), r.value])),
        ratedAt: new Map(ratings.map((r) => [String(r.titleId), r.ratedAt])),
      };
    },
    seen,
  );
}
