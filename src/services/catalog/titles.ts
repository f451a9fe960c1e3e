// Catalog reads: title cards and details, genre pages by cursor, "more like this". Every query
// takes the viewer and applies its maturity ceiling in the MongoDB filter; drafts never match.
import { isObjectId } from "../../lib/validation.js";
import { z } from "zod";
import { bumpNamespace, cacheInNamespace, cacheManyInNamespace, namespaceGeneration } from "../../lib/cache.js";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { BadRequestError, NotFoundError } from "../../lib/errors.js";
import { isAllowedFor, maturityFilter, viewerLevel, type Viewer } from "../../lib/maturity.js";
import type { Title } from "../../models/title.js";

export type { Viewer };
export type CatalogDeps = Pick<Deps, "models" | "redis" | "logger" | "config" | "cache">;

/** The cache namespace for everything derived from titles; any title change bumps it. */
export const CATALOG_NS = "catalog";

/**
 * The namespace with the database name in it: one Redis may serve several databases (test
 * files, staging next to production), and their catalogs must never share cached rows.
 */
export function catalogNamespace(deps: Pick<Deps, "config">): string {
  const db = /^[a-z+]+:\/\/[^/]*\/([^/?]+)/i.exec(deps.config.mongoUri)?.[1] ?? "default";
  return `${CATALOG_NS}:${db}`;
}
/** The catalog's generation: every title write moves it (null when Redis cannot say). */
export function catalogGeneration(deps: Pick<Deps, "config" | "redis" | "logger" | "cache">): Promise<string | null> {
  return namespaceGeneration(deps, catalogNamespace(deps));
}
export const GENRE_PAGE_SIZE = 24;

/** What a poster card needs: small, JSON-safe (it is cached), no overview. */
export interface TitleCard {
  id: string;
  slug: string;
  title: string;
  kind: "movie" | "series";
  year: number | null;
  maturity: string;
  runtimeMin: number | null;
  seasonCount: number;
  genres: string[];
  posterUrl: string | null;
  backdropUrl: string | null;
  /** Set by rows that show progress (Continue Watching): 0..1. */
  progress?: number;
  /** Set by rows whose cards should link somewhere other than the title (resume playback). */
  href?: string;
}

export interface Episode {
  number: number;
  title: string;
  overview: string;
  runtimeMin: number | null;
}

export interface Season {
  number: number;
  title: string | null;
  year: number | null;
  episodes: Episode[];
}

export interface TitleDetail extends TitleCard {
  originalTitle: string | null;
  overview: string;
  overviewVi: string | null;
  voteAverage: number | null;
  trailer: { youtubeKey: string | null; hlsUrl: string | null } | null;
  hasMedia: boolean;
  seasons: Season[];
}

type TitleLike = Title & { _id: unknown };

export function toCard(t: TitleLike): TitleCard {
  return {
    id: String(t._id),
    slug: t.slug,
    title: t.title,
    kind: t.kind,
    year: t.year ?? null,
    maturity: t.maturity,
    runtimeMin: t.runtimeMin ?? null,
    seasonCount: t.seasons?.length ?? 0,
    genres: [...(t.genres ?? [])],
    posterUrl: t.posterUrl ?? null,
    backdropUrl: t.backdropUrl ?? null,
  };
}

export function toDetail(t: TitleLike): TitleDetail {
  return {
    ...toCard(t),
    originalTitle: t.originalTitle ?? null,
    overview: t.overview ?? "",
    overviewVi: t.overviewVi ?? null,
    voteAverage: t.voteAverage ?? null,
    trailer: t.trailer && (t.trailer.youtubeKey || t.trailer.hlsUrl) ? { youtubeKey: t.trailer.youtubeKey ?? null, hlsUrl: t.trailer.hlsUrl ?? null } : null,
    hasMedia: Boolean(t.media?.hlsUrl) || (t.seasons ?? []).some((s) => s.episodes.some((e) => e.hlsUrl)),
    seasons: (t.seasons ?? [])
      .map((s) => ({
        number: s.number,
        title: s.title ?? null,
        year: s.year ?? null,
        episodes: s.episodes.map((e) => ({ number: e.number, title: e.title, overview: e.overview ?? "", runtimeMin: e.runtimeMin ?? null })),
      }))
      .sort((a, b) => a.number - b.number),
  };
}

/** Published titles the viewer may see, plus extra conditions. */
export function visibleFilter(viewer: Viewer | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: "published", ...maturityFilter(viewer), ...extra };
}

export const CARD_FIELDS = "kind slug title year maturity runtimeMin genres posterUrl backdropUrl seasons.number";

export function catalogTtl(deps: Pick<Deps, "config">) {
  return deps.config.catalog;
}

/** Where title cards are cached by id (the catalog index primes it with every card it reads). */
export function cardCacheEntry(deps: Pick<Deps, "config">) {
  return { cache: "catalog-card", keyPrefix: "card", ttlSeconds: catalogTtl(deps).titleTtlSeconds };
}

/**
 * Cards for the given ids in the given order, skipping drafts and titles over the ceiling. Each
 * card is cached by id for the catalog's generation; the ones missing are read in one query by
 * `_id: {$in}`, which both servers answer from the primary key.
 */
export async function getTitleCardsByIds(deps: CatalogDeps, viewer: Viewer | undefined, ids: string[]): Promise<TitleCard[]> {
  const valid = ids.filter(isObjectId);
  if (valid.length === 0) return [];
  const cards = await cacheManyInNamespace<TitleCard | null>(deps, catalogNamespace(deps), cardCacheEntry(deps), valid, async (missing) => {
    const docs = await deps.models.Title.find({ _id: op({ $in: missing }) })
      .select(`${CARD_FIELDS} status`)
      .lean();
    return new Map(docs.flatMap((d) => (d.status === "published" ? [[String(d._id), toCard(d as TitleLike)] as const] : [])));
  });
  return valid.map((id) => cards.get(id)).filter((c): c is TitleCard => Boolean(c) && isAllowedFor(viewer, c!.maturity));
}

/** Cards by popularity, optionally within a genre and excluding some ids. */
export async function listPopularCards(
  deps: Pick<Deps, "models">,
  viewer: Viewer | undefined,
  opts: { genre?: string; exclude?: string[]; limit: number; sort?: Record<string, 1 | -1> },
): Promise<TitleCard[]> {
  const extra: Record<string, unknown> = {};
  if (opts.genre) extra.genres = opts.genre;
  if (opts.exclude?.length) extra._id = op({ $nin: opts.exclude });
  const docs = await deps.models.Title.find(visibleFilter(viewer, extra))
    .sort(opts.sort ?? { popularity: -1, _id: -1 })
    .limit(opts.limit)
    .select(CARD_FIELDS)
    .lean();
  return docs.map((d) => toCard(d as TitleLike));
}

/**
 * One published title by slug for this viewer; drafts and titles over the ceiling are 404. A
 * caller that knows the title's id passes it, and a miss is then a primary-key read rather than a
 * search of the collection by slug.
 */
export async function getTitleDetail(deps: CatalogDeps, viewer: Viewer | undefined, slug: string, id?: string): Promise<TitleDetail> {
  const detail = await cacheInNamespace(
    deps,
    catalogNamespace(deps),
    { cache: "catalog-title", key: `title:${slug}:${viewerLevel(viewer)}`, ttlSeconds: catalogTtl(deps).titleTtlSeconds },
    async () => {
      if (id && isObjectId(id)) {
        const byId = await deps.models.Title.findById(id).lean();
        if (byId && byId.slug === slug) return byId.status === "published" && isAllowedFor(viewer, byId.maturity) ? toDetail(byId) : null;
      }
      const doc = await deps.models.Title.findOne(visibleFilter(viewer, { slug })).lean();
      // Cached as null too, so probing for drafts does not reach the database every time.
      return doc ? toDetail(doc) : null;
    },
  );
  if (!detail) throw new NotFoundError("catalog.titleNotFound");
  return detail;
}

// Cursor: the last card's (popularity, id). Keyset pagination never skips or repeats a title
// when others are added or removed between pages, unlike skip/limit.
const cursorSchema = z.tuple([z.number().finite(), z.string().regex(/^[a-f0-9]{24}$/)]);

export function encodeCursor(card: { id: string }, popularity: number): string {
  return Buffer.from(JSON.stringify([popularity, card.id])).toString("base64url");
}

export function decodeCursor(cursor: string): [number, string] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new BadRequestError("catalog.badCursor");
  }
}

export interface GenrePage {
  genre: string;
  items: TitleCard[];
  nextCursor: string | null;
}

/** One page of the titles matching `extra`, most popular first, after a (popularity, id) cursor. */
async function popularPage(
  deps: CatalogDeps,
  viewer: Viewer | undefined,
  extra: Record<string, unknown>,
  after: ReturnType<typeof decodeCursor> | null,
): Promise<{ items: TitleCard[]; nextCursor: string | null }> {
  const filter = { ...extra };
  if (after) {
    const [popularity, id] = after;
    filter.$or = [{ popularity: op({ $lt: popularity }) }, { popularity, _id: op({ $lt: id }) }];
  }
  const docs = await deps.models.Title.find(visibleFilter(viewer, filter))
    .sort({ popularity: -1, _id: -1 })
    .limit(GENRE_PAGE_SIZE + 1)
    .select(`${CARD_FIELDS} popularity`)
    .lean();
  const page = docs.slice(0, GENRE_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    items: page.map((d) => toCard(d as TitleLike)),
    nextCursor: docs.length > GENRE_PAGE_SIZE && last ? encodeCursor({ id: String(last._id) }, last.popularity ?? 0) : null,
  };
}

export async function listGenrePage(deps: CatalogDeps, viewer: Viewer | undefined, genre: string, cursor?: string): Promise<GenrePage> {
  const after = cursor ? decodeCursor(cursor) : null;
  return cacheInNamespace(
    deps,
    catalogNamespace(deps),
    { cache: "catalog-genre", key: `genre:${genre}:${viewerLevel(viewer)}:${cursor ?? "first"}`, ttlSeconds: catalogTtl(deps).rowsTtlSeconds },
    async () => ({ genre, ...(await popularPage(deps, viewer, { genres: genre }, after)) }),
  );
}

export interface KindPage {
  kind: "movie" | "series";
  genre: string | null;
  items: TitleCard[];
  nextCursor: string | null;
}

/** The Films or Series page: one kind, optionally one genre, most popular first, by cursor. */
export async function listKindPage(
  deps: CatalogDeps,
  viewer: Viewer | undefined,
  kind: "movie" | "series",
  genre: string | null,
  cursor?: string,
): Promise<KindPage> {
  const after = cursor ? decodeCursor(cursor) : null;
  return cacheInNamespace(
    deps,
    catalogNamespace(deps),
    { cache: "catalog-kind", key: `kind:${kind}:${genre ?? "all"}:${viewerLevel(viewer)}:${cursor ?? "first"}`, ttlSeconds: catalogTtl(deps).rowsTtlSeconds },
    async () => {
      const extra: Record<string, unknown> = { kind };
      if (genre) extra.genres = genre;
      return { kind, genre, ...(await popularPage(deps, viewer, extra, after)) };
    },
  );
}

/** Call after any change to a title: every cached row, page and detail goes stale at once. */
export async function invalidateCatalogCache(deps: Pick<Deps, "redis" | "logger" | "config" | "cache">): Promise<void> {
  await bumpNamespace(deps, catalogNamespace(deps));
}
