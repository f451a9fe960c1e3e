// The signed-in home: hero, Top 10 today, Trending, New releases and one row per genre (cached per
// maturity level and day), merged with the per-profile rows that other features register.
import { randomUUID } from "node:crypto";
import { cacheInNamespace } from "../../lib/cache.js";
import { viewerLevel, type Viewer } from "../../lib/maturity.js";
import type { Row } from "./browse-rows.js";
import { catalogNamespace, getTitleCardsByIds, visibleFilter, type CatalogDeps, type TitleCard } from "./titles.js";
import { getCatalogIndex, type CatalogIndex } from "./catalog-index.js";
import { GENRES } from "./genres.js";
import { dayKey, lastDays, mostPlayedOn, mostPlayedOver } from "./stats.js";

const ROW_SIZE = 20;
const GENRE_ROW_SIZE = 15;
const TOP = 10;
// Genre rows past the first few load when scrolled to: the first paint stays small and fast.
const EAGER_GENRE_ROWS = 2;

export interface HeroTitle extends TitleCard {
  overview: string;
  overviewVi: string | null;
  hasTrailer: boolean;
}

export interface CatalogRows {
  hero: HeroTitle | null;
  /** Top 10, Trending, New releases, then one row per genre (empty rows left out). */
  rows: Row[];
  /** New each time the rows are computed: names this content (e.g. in rendered-fragment keys). */
  stamp: string;
}

/** Fills a ranked list up to `size` with the most popular titles not already in it. */
function fillWithPopular(index: CatalogIndex, ranked: TitleCard[], size: number, exclude: string[] = []): TitleCard[] {
  if (ranked.length >= size) return ranked.slice(0, size);
  const taken = new Set([...exclude, ...ranked.map((c) => c.id)]);
  return [...ranked, ...index.popular.filter((c) => !taken.has(c.id)).slice(0, size - ranked.length)];
}

async function pickHero(deps: CatalogDeps, viewer: Viewer, candidates: TitleCard[], now: Date): Promise<HeroTitle | null> {
  const pool = candidates.filter((c) => c.backdropUrl).slice(0, 5);
  if (pool.length === 0) return null;
  // A different title each day, the same one all day (and for every instance behind the balancer).
  const pick = pool[Math.floor(now.getTime() / 86_400_000) % pool.length]!;
  const doc = await deps.models.Title.findOne(visibleFilter(viewer, { slug: pick.slug }))
    .select("overview overviewVi trailer")
    .lean();
  if (!doc) return null;
  return { ...pick, overview: doc.overview ?? "", overviewVi: doc.overviewVi ?? null, hasTrailer: Boolean(doc.trailer?.youtubeKey || doc.trailer?.hlsUrl) };
}

export async function computeCatalogRows(deps: CatalogDeps, viewer: Viewer, now: Date): Promise<CatalogRows> {
  const [todayIds, weekIds, index] = await Promise.all([
    mostPlayedOn(deps, dayKey(now), TOP * 4),
    mostPlayedOver(deps, lastDays(now, 7), ROW_SIZE * 3),
    getCatalogIndex(deps, viewer),
  ]);
  const [todayCards, weekCards] = await Promise.all([getTitleCardsByIds(deps, viewer, todayIds), getTitleCardsByIds(deps, viewer, weekIds)]);
  const top10 = fillWithPopular(index, todayCards.slice(0, TOP), TOP);
  const topIds = top10.map((c) => c.id);
  // Without play data yet, Trending continues where Top 10 stops rather than repeating it.
  const trendingRanked = weekCards.slice(0, ROW_SIZE);
  const trending = fillWithPopular(index, trendingRanked, ROW_SIZE, trendingRanked.length ? [] : topIds);
  const newest = index.newest.slice(0, ROW_SIZE);
  const genreRows = GENRES.map((genre) => ({ genre, items: (index.byGenre[genre] ?? []).slice(0, GENRE_ROW_SIZE).map((e) => e.card) }));
  const hero = await pickHero(deps, viewer, top10, now);
  const rows: Row[] = [
    { id: "top10", titleKey: "catalog.rows.top10", items: top10, kind: "top10" },
    { id: "trending", titleKey: "catalog.rows.trending", items: trending, kind: "standard" },
    { id: "new", titleKey: "catalog.rows.new", items: newest, kind: "standard" },
    ...genreRows.map(({ genre, items }) => ({
      id: `genre-${genre}`,
      titleKey: `catalog.genres.${genre}`,
      items,
      kind: "standard" as const,
      href: `/genre/${genre}`,
      lazy: false,
    })),
  ];
  const nonEmpty = rows.filter((r) => r.items.length > 0);
  let genreIndex = 0;
  for (const r of nonEmpty) if (r.id.startsWith("genre-") && genreIndex++ >= EAGER_GENRE_ROWS) r.lazy = true;
  return { hero, rows: nonEmpty, stamp: randomUUID() };
}

/** One of the catalog's cached rows, for the lazy row fragment. */
export async function getCatalogRow(deps: CatalogDeps, viewer: Viewer, id: string, now: Date): Promise<Row | null> {
  const { rows } = await getCatalogRows(deps, viewer, now);
  return rows.find((r) => r.id === id) ?? null;
}

/** The catalog's rows for this viewer today, from the cache when it has them. */
export async function getCatalogRows(deps: CatalogDeps, viewer: Viewer, now: Date): Promise<CatalogRows> {
  return cacheInNamespace(
    deps,
    catalogNamespace(deps),
    { cache: "catalog-rows", key: `rows2:${viewerLevel(viewer)}:${dayKey(now)}`, ttlSeconds: deps.config.catalog.rowsTtlSeconds },
    () => computeCatalogRows(deps, viewer, now),
  );
}
