// The signed-in home: hero, Top 10 today, Trending, New releases and one row per genre (cached per
// maturity level and day), merged with the per-profile rows that other features register.
import { hash } from "node:crypto";
import { cacheInNamespace } from "../../lib/cache.js";
import { op } from "../../lib/db.js";
import { viewerLevel, type Viewer } from "../../lib/maturity.js";
import type { Row } from "./browse-rows.js";
import { catalogNamespace, getTitleCardsByIds, visibleFilter, type CatalogDeps, type TitleCard } from "./titles.js";
import { getCatalogIndex, type CatalogIndex } from "./catalog-index.js";
import { GENRES } from "./genres.js";
import { dayKey, lastDays, mostPlayedOn, mostPlayedOver } from "./stats.js";

const ROW_SIZE = 20;
const GENRE_ROW_SIZE = 15;
const TOP = 10;

export interface HeroTitle extends TitleCard {
  overview: string;
  overviewVi: string | null;
  hasTrailer: boolean;
}

export interface CatalogRows {
  hero: HeroTitle | null;
  /** Top 10, Trending, New releases, then one row per genre (empty rows left out). */
  rows: Row[];
  /** The digest of this content: names it in rendered-fragment and kept-page keys. */
  stamp: string;
}

/** Genre rows with fewer titles than this are left out of /browse (the genre page still lists them). */
export const MIN_GENRE_ROW = 5;

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
    })),
  ];
  // A genre with only a few titles makes a thin row: those stay on their genre page instead.
  const nonEmpty = rows.filter((r) => (r.id.startsWith("genre-") ? r.items.length >= MIN_GENRE_ROW : r.items.length > 0));
  // Named by content: rows computed again (their TTL, another process) and found the same keep
  // their stamp, and with it the rendered rows and the pages kept with them.
  return { hero, rows: nonEmpty, stamp: hash("sha256", JSON.stringify({ hero, rows: nonEmpty }), "base64url") };
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

export interface NewAndPopularSection {
  id: string;
  titleKey: string;
  items: TitleCard[];
  kind: "standard" | "top10";
}

/** New & Popular: titles added this week, then the ten most played films and series of the week. */
export async function listNewAndPopular(deps: CatalogDeps, viewer: Viewer, now: Date): Promise<NewAndPopularSection[]> {
  const [weekIds, index] = await Promise.all([mostPlayedOver(deps, lastDays(now, 7), TOP * 6), getCatalogIndex(deps, viewer)]);
  const played = await getTitleCardsByIds(deps, viewer, weekIds);
  const weekAgo = now.getTime() - 7 * 86_400_000;
  const recent = await deps.models.Title.find(visibleFilter(viewer, { createdAt: op({ $gte: new Date(weekAgo) }) }))
    .sort({ createdAt: -1, _id: -1 })
    .limit(ROW_SIZE)
    .select("_id")
    .lean();
  const newThisWeek = await getTitleCardsByIds(
    deps,
    viewer,
    recent.map((d) => String(d._id)),
  );
  const top = (kind: "movie" | "series") => {
    const ranked = played.filter((c) => c.kind === kind).slice(0, TOP);
    const taken = new Set(ranked.map((c) => c.id));
    return [...ranked, ...index.popular.filter((c) => c.kind === kind && !taken.has(c.id))].slice(0, TOP);
  };
  return [
    { id: "new-this-week", titleKey: "catalog.rows.newThisWeek", items: newThisWeek, kind: "standard" },
    { id: "top10-films", titleKey: "catalog.rows.top10Films", items: top("movie"), kind: "top10" },
    { id: "top10-series", titleKey: "catalog.rows.top10Series", items: top("series"), kind: "top10" },
  ];
}
