// "Because you watched X": titles sharing genres with a recently loved or finished title, minus
// what the profile has already seen and what it gave a thumbs down.
import type { Deps } from "../../deps.js";
import type { Viewer } from "../../lib/maturity.js";
import type { Row } from "../catalog/index.js";
import { getTitleCardsByIds, listMoreLikeThis, type CatalogDeps, type TitleCard } from "../catalog/index.js";
import { recentlyCompletedIds, watchedTitleIds, type ProgressScope } from "./progress.js";
import type { TitleState } from "./my-list.js";
import { recentlyLovedIds, thumbedDownIds } from "./ratings.js";

const SEED_ROWS = 2;
const MIN_ITEMS = 3;

/** Seed titles, newest signal first: loves and completions interleaved by time. */
async function seedIds(
  deps: Pick<Deps, "models" | "redis" | "logger" | "cache">,
  profileId: string,
  scope?: ProgressScope,
  state?: TitleState,
): Promise<string[]> {
  const [loved, completed] = await Promise.all([recentlyLovedIds(deps, profileId, 5, state), recentlyCompletedIds(deps, profileId, 5, scope)]);
  const ordered = [...loved, ...completed].sort((a, b) => b.at.getTime() - a.at.getTime()).map((s) => s.titleId);
  return [...new Set(ordered)];
}

/** `scope`: an object living as long as the request (the browse context), to share its reads. */
export async function becauseYouWatchedRows(deps: CatalogDeps, profileId: string, viewer: Viewer, scope?: ProgressScope, state?: TitleState): Promise<Row[]> {
  const seeds = await seedIds(deps, profileId, scope, state);
  if (seeds.length === 0) return [];
  const [seen, down, seedCards] = await Promise.all([
    watchedTitleIds(deps, profileId, scope),
    thumbedDownIds(deps, profileId, state),
    getTitleCardsByIds(deps, viewer, seeds),
  ]);
  const excluded = new Set([...seen, ...down, ...seeds]);
  const rows: Row[] = [];
  const used = new Set<string>();
  for (const seed of seedCards) {
    if (down.includes(seed.id)) continue;
    const items = (await listMoreLikeThis(deps, viewer, seed)).filter((c: TitleCard) => !excluded.has(c.id) && !used.has(c.id));
    if (items.length < MIN_ITEMS) continue;
    items.forEach((c) => used.add(c.id));
    rows.push({ id: `because-${seed.slug}`, titleKey: "watch.becauseYouWatched", vars: { title: seed.title }, items, kind: "standard" });
    if (rows.length >= SEED_ROWS) break;
  }
  return rows;
}
