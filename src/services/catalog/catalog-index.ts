// The catalog's orderings, read in one pass: the most popular titles, the newest, and the most
// popular of each genre, per maturity level and catalog generation. Rows, "More like this" and
// "Because you watched" are picked from it in memory, so their cost follows the size of a row,
// not of the catalog (on FerretDB every filtered or sorted query scans the whole collection).
import { cacheInNamespace, primeManyInNamespace } from "../../lib/cache.js";
import { MAX_LEVEL, viewerLevel, type Viewer } from "../../lib/maturity.js";
import { GENRES } from "./genres.js";
import {
  cardCacheEntry,
  catalogNamespace,
  catalogTtl,
  CARD_FIELDS,
  toCard,
  visibleFilter,
  type CatalogDeps,
  type TitleCard,
  type TitleDetail,
} from "./titles.js";
import type { Title } from "../../models/title.js";

// Enough for any row and for "More like this" (60 candidates plus the title itself).
const POPULAR_KEPT = 61;
const NEWEST_KEPT = 20;
const MORE_LIKE_THIS = 12;

export interface CatalogIndex {
  /** Most popular first (popularity, then id, descending). */
  popular: TitleCard[];
  /** Newest first (year, publication, id). */
  newest: TitleCard[];
  /** Per genre, most popular first, with the popularity that orders them. */
  byGenre: Record<string, Popular[]>;
  /** Every year that has a title, newest first (the search page's year filter). */
  years: number[];
}

type Popular = { card: TitleCard; popularity: number };
type Ranked = Popular & { publishedAt: number };

const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const byPopularity = (a: Popular, b: Popular) => b.popularity - a.popularity || desc(a.card.id, b.card.id);
// MongoDB sorts nulls lowest, so in descending order they come last.
const byNewest = (a: Ranked, b: Ranked) =>
  (b.card.year ?? -Infinity) - (a.card.year ?? -Infinity) || b.publishedAt - a.publishedAt || desc(a.card.id, b.card.id);

export async function computeCatalogIndex(deps: CatalogDeps, viewer: Viewer): Promise<CatalogIndex> {
  // In batches (find, then getMore): each round trip stays short however large the catalog, so
  // the read of 20,000 titles never meets the socket timeout that keeps failures quick.
  const docs = await deps.models.Title.find(visibleFilter(viewer)).select(`${CARD_FIELDS} popularity publishedAt`).batchSize(1000).lean();
  const ranked: Ranked[] = docs.map((d) => ({
    card: toCard(d as Title & { _id: unknown }),
    popularity: d.popularity ?? 0,
    publishedAt: d.publishedAt ? d.publishedAt.getTime() : -Infinity,
  }));
  // The whole catalog's cards were just read: the card cache gets them all (from the index of
  // the unrestricted level, which has every published title), so the cards of a profile's own
  // rows (Continue Watching, My List) never cost a database read, even on a first visit.
  if (viewerLevel(viewer) === MAX_LEVEL)
    await primeManyInNamespace(deps, catalogNamespace(deps), cardCacheEntry(deps), new Map(ranked.map((r) => [r.card.id, r.card])));
  const popular = [...ranked].sort(byPopularity);
  const byGenre: Record<string, Popular[]> = {};
  for (const genre of GENRES) byGenre[genre] = [];
  for (const r of popular)
    for (const g of r.card.genres) {
      const list = byGenre[g];
      if (list && list.length < POPULAR_KEPT) list.push({ card: r.card, popularity: r.popularity });
    }
  return {
    popular: popular.slice(0, POPULAR_KEPT).map((r) => r.card),
    newest: ranked
      .sort(byNewest)
      .slice(0, NEWEST_KEPT)
      .map((r) => r.card),
    byGenre,
    years: [...new Set(ranked.flatMap((r) => (typeof r.card.year === "number" ? [r.card.year] : [])))].sort((a, b) => b - a),
  };
}

/** The index for this viewer's maturity level, computed once per catalog generation. */
export function getCatalogIndex(deps: CatalogDeps, viewer: Viewer | undefined): Promise<CatalogIndex> {
  return cacheInNamespace(
    deps,
    catalogNamespace(deps),
    { cache: "catalog-index", key: `index-v2:${viewerLevel(viewer)}`, ttlSeconds: catalogTtl(deps).rowsTtlSeconds },
    () => computeCatalogIndex(deps, viewer ?? {}),
  );
}

/**
 * Titles sharing the most genres with this one, most popular first: the 60 most popular titles
 * sharing any genre are all among the genres' own most popular, so the index holds the answer.
 */
export async function listMoreLikeThis(deps: CatalogDeps, viewer: Viewer | undefined, title: Pick<TitleDetail, "id" | "genres">): Promise<TitleCard[]> {
  if (title.genres.length === 0) return [];
  const index = await getCatalogIndex(deps, viewer);
  const seen = new Set<string>([title.id]);
  const candidates: Popular[] = [];
  for (const genre of title.genres)
    for (const entry of index.byGenre[genre] ?? []) {
      if (seen.has(entry.card.id)) continue;
      seen.add(entry.card.id);
      candidates.push(entry);
    }
  const shared = (c: TitleCard) => c.genres.filter((g) => title.genres.includes(g)).length;
  // Stable sort: shared genres first, popularity order within the same count.
  return candidates
    .sort(byPopularity)
    .slice(0, 60)
    .map((c) => c.card)
    .sort((a, b) => shared(b) - shared(a))
    .slice(0, MORE_LIKE_THIS);
}
