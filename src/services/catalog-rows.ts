// The signed-in home: hero, Top 10 today, Trending, New releases and one row per genre (cached per
// maturity level and day), merged with the per-profile rows that other features register.
import { randomUUID } from "node:crypto";
import { cacheInNamespace } from "../lib/cache.js";
import type { Deps } from "../lib/deps.js";
import { viewerLevel, type Viewer } from "../lib/maturity.js";
import { collectProviderRows, ROW_ORDER, type BrowseContext, type OrderedRow, type Row } from "./browse-rows.js";
import { catalogNamespace, getTitleCardsByIds, listPopularCards, visibleFilter, type CatalogDeps, type TitleCard } from "./catalog.js";
import { GENRES } from "./catalog-genres.js";
import { dayKey, lastDays, mostPlayedOn, mostPlayedOver } from "./title-stats.js";

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
  rows: OrderedRow[];
  /** New each time the rows are computed: names this content (e.g. in rendered-fragment keys). */
  stamp: string;
}

export interface BrowsePage {
  hero: HeroTitle | null;
  /** `stamp` is set on the catalog's own rows (shared by every profile at this maturity level). */
  rows: (Row & { stamp?: string })[];
}

/** Fills a ranked list up to `size` with the most popular titles not already in it. */
async function fillWithPopular(deps: CatalogDeps, viewer: Viewer, ranked: TitleCard[], size: number, exclude: string[] = []): Promise<TitleCard[]> {
  if (ranked.length >= size) return ranked.slice(0, size);
  const more = await listPopularCards(deps, viewer, { exclude: [...exclude, ...ranked.map((c) => c.id)], limit: size - ranked.length });
  return [...ranked, ...more];
}

async function pickHero(deps: CatalogDeps, viewer: Viewer, candidates: TitleCard[], now: Date): Promise<HeroTitle | null> {
  const pool = candidates.filter((c) => c.backdropUrl).slice(0, 5);
  if (pool.length === 0) return null;
  // A different title each day, the same one all day (and for every instance behind the balancer).
  const pick = pool[Math.floor(now.getTime() / 86_400_000) % pool.length]!;
  const doc = await deps.models.Title.findOne(visibleFilter(viewer, { slug: pick.slug })).select("overview overviewVi trailer").lean();
  if (!doc) return null;
  return { ...pick, overview: doc.overview ?? "", overviewVi: doc.overviewVi ?? null, hasTrailer: Boolean(doc.trailer?.youtubeKey || doc.trailer?.hlsUrl) };
}

export async function computeCatalogRows(deps: CatalogDeps, viewer: Viewer, now: Date): Promise<CatalogRows> {
  const [todayIds, weekIds] = await Promise.all([mostPlayedOn(deps, dayKey(now), TOP * 4), mostPlayedOver(deps, lastDays(now, 7), ROW_SIZE * 3)]);
  const top10 = await fillWithPopular(deps, viewer, (await getTitleCardsByIds(deps, viewer, todayIds)).slice(0, TOP), TOP);
  const topIds = top10.map((c) => c.id);
  // Without play data yet, Trending continues where Top 10 stops rather than repeating it.
  const trendingRanked = (await getTitleCardsByIds(deps, viewer, weekIds)).slice(0, ROW_SIZE);
  const [trending, newest, genreRows, hero] = await Promise.all([
    fillWithPopular(deps, viewer, trendingRanked, ROW_SIZE, trendingRanked.length ? [] : topIds),
    listPopularCards(deps, viewer, { limit: ROW_SIZE, sort: { year: -1, publishedAt: -1, _id: -1 } }),
    Promise.all(GENRES.map(async (genre) => ({ genre, items: await listPopularCards(deps, viewer, { genre, limit: GENRE_ROW_SIZE }) }))),
    pickHero(deps, viewer, top10, now),
  ]);
  const rows: OrderedRow[] = [
    { order: ROW_ORDER.top10, row: { id: "top10", titleKey: "catalog.rows.top10", items: top10, kind: "top10" } },
    { order: ROW_ORDER.trending, row: { id: "trending", titleKey: "catalog.rows.trending", items: trending, kind: "standard" } },
    { order: ROW_ORDER.newReleases, row: { id: "new", titleKey: "catalog.rows.new", items: newest, kind: "standard" } },
    ...genreRows.map(({ genre, items }, i) => ({
      order: ROW_ORDER.genres + i,
      row: { id: `genre-${genre}`, titleKey: `catalog.genres.${genre}`, items, kind: "standard" as const, href: `/genre/${genre}`, lazy: false },
    })),
  ];
  const nonEmpty = rows.filter((r) => r.row.items.length > 0);
  let genreIndex = 0;
  for (const r of nonEmpty) if (r.row.id.startsWith("genre-") && genreIndex++ >= EAGER_GENRE_ROWS) r.row.lazy = true;
  return { hero, rows: nonEmpty, stamp: randomUUID() };
}

/** One of the catalog's cached rows, for the lazy row fragment. */
export async function getCatalogRow(deps: CatalogDeps, viewer: Viewer, id: string, now: Date): Promise<Row | null> {
  const { rows } = await getCatalogRows(deps, viewer, now);
  return rows.find((r) => r.row.id === id)?.row ?? null;
}

/** The catalog's rows for this viewer today, from the cache when it has them. */
export async function getCatalogRows(deps: CatalogDeps, viewer: Viewer, now: Date): Promise<CatalogRows> {
  return cacheInNamespace(
    deps,
    catalogNamespace(deps),
    { cache: "catalog-rows", key: `rows:${viewerLevel(viewer)}:${dayKey(now)}`, ttlSeconds: deps.config.catalog.rowsTtlSeconds },
    () => computeCatalogRows(deps, viewer, now),
  );
}

/** Everything /browse shows: the cached catalog rows plus each registered per-profile row, in order. */
export async function buildBrowsePage(deps: Deps, ctx: BrowseContext): Promise<BrowsePage> {
  const [catalog, extra] = await Promise.all([getCatalogRows(deps, ctx.viewer, deps.clock.now()), collectProviderRows(deps, ctx)]);
  const shared = catalog.rows.map((r) => ({ ...r, row: { ...r.row, stamp: catalog.stamp } }));
  const merged = [...shared, ...extra].map((r, index) => ({ ...r, index }));
  merged.sort((a, b) => a.order - b.order || a.index - b.index);
  return { hero: catalog.hero, rows: merged.map((r) => r.row) };
}
