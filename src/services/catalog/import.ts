// Importing titles from TMDB: details, genres, images, the YouTube trailer and (for series) the
// seasons' episodes, as drafts unless asked to publish. Demo streams stand in for the media.
import { DEMO_STREAM } from "./demo/index.js";
import type { Deps } from "../../deps.js";
import { MOVIE_RATINGS, TV_RATINGS, type MaturityRating } from "../../lib/maturity.js";
import { YOUTUBE_ID } from "../../lib/media-urls.js";
import { type TmdbClient, type TmdbMovie, type TmdbTv } from "../../lib/tmdb.js";
import { invalidateCatalogCache } from "./titles.js";
import { genresFromTmdb } from "./genres.js";
import { warmCatalogCache, type WarmSummary } from "./warm.js";
import { slugify, upsertTitleBySlug, type TitleInput } from "./title-admin.js";
import { recordAudit, SYSTEM, type Acting } from "../ops/index.js";

export type TmdbKind = "movie" | "tv";
type ImportDeps = Pick<Deps, "models" | "redis" | "logger" | "clock" | "config" | "tmdb" | "cache">;

export interface ImportResult {
  tmdbId: number;
  kind: TmdbKind;
  slug: string;
  title: string;
  id: string;
  created: boolean;
}

const IMAGE_BASE = "https://image.tmdb.org/t/p";
const MAX_SEASONS = 10;

function yearOf(date: string | null | undefined): number | null {
  const y = Number(date?.slice(0, 4));
  return Number.isInteger(y) && y > 1800 ? y : null;
}

function youtubeTrailer(videos: { results: { key: string; site: string; type: string; official?: boolean }[] } | undefined): string | null {
  const candidates = (videos?.results ?? []).filter((v) => v.site === "YouTube" && v.type === "Trailer" && YOUTUBE_ID.test(v.key));
  return (candidates.find((v) => v.official) ?? candidates[0])?.key ?? null;
}

/**
 * The US rating when TMDB has one. Unknown ratings import as the top of the everyday ladder
 * (R / TV-MA): a kids profile must never see an unrated title until an editor rates it.
 */
function movieMaturity(m: TmdbMovie): MaturityRating {
  const us = m.release_dates?.results.find((r) => r.iso_3166_1 === "US");
  const cert = us?.release_dates.map((d) => d.certification).find((c) => (MOVIE_RATINGS as readonly string[]).includes(c));
  return (cert as MaturityRating | undefined) ?? "R";
}

function tvMaturity(t: TmdbTv): MaturityRating {
  const rating = t.content_ratings?.results.find((r) => r.iso_3166_1 === "US")?.rating;
  return rating && (TV_RATINGS as readonly string[]).includes(rating) ? (rating as MaturityRating) : "TV-MA";
}

const image = (size: string, p: string | null | undefined) => (p ? `${IMAGE_BASE}/${size}${p}` : null);

async function movieInput(client: TmdbClient, id: number): Promise<Omit<TitleInput, "slug">> {
  const m = await client.movie(id);
  return {
    kind: "movie",
    title: m.title,
    originalTitle: m.original_title && m.original_title !== m.title ? m.original_title : null,
    overview: m.overview ?? "",
    genres: genresFromTmdb(m.genres.map((g) => g.id)).slice(0, 8),
    year: yearOf(m.release_date),
    runtimeMin: m.runtime && m.runtime > 0 ? Math.min(m.runtime, 1000) : null,
    maturity: movieMaturity(m),
    voteAverage: m.vote_average ?? null,
    popularity: Math.min(m.popularity ?? 0, 1e7),
    posterUrl: image("w342", m.poster_path),
    backdropUrl: image("w1280", m.backdrop_path),
    trailer: { youtubeKey: youtubeTrailer(m.videos), hlsUrl: null },
    media: { hlsUrl: DEMO_STREAM },
    source: { tmdbId: m.id, demo: false },
  };
}

async function tvInput(client: TmdbClient, id: number): Promise<Omit<TitleInput, "slug">> {
  const t = await client.tv(id);
  const numbers = t.seasons
    .map((s) => s.season_number)
    .filter((n) => n >= 1)
    .slice(0, MAX_SEASONS);
  const seasons = [];
  for (const n of numbers) {
    const s = await client.tvSeason(id, n);
    seasons.push({
      number: s.season_number,
      title: s.name ?? null,
      year: yearOf(s.air_date),
      episodes: s.episodes.slice(0, 500).map((e) => ({
        number: e.episode_number,
        title: e.name || `Episode ${e.episode_number}`,
        overview: (e.overview ?? "").slice(0, 2000),
        runtimeMin: e.runtime && e.runtime > 0 ? Math.min(e.runtime, 1000) : null,
        hlsUrl: DEMO_STREAM,
      })),
    });
  }
  return {
    kind: "series",
    title: t.name,
    originalTitle: t.original_name && t.original_name !== t.name ? t.original_name : null,
    overview: t.overview ?? "",
    genres: genresFromTmdb(t.genres.map((g) => g.id)).slice(0, 8),
    year: yearOf(t.first_air_date),
    runtimeMin: t.episode_run_time[0] ?? null,
    maturity: tvMaturity(t),
    voteAverage: t.vote_average ?? null,
    popularity: Math.min(t.popularity ?? 0, 1e7),
    posterUrl: image("w342", t.poster_path),
    backdropUrl: image("w1280", t.backdrop_path),
    trailer: { youtubeKey: youtubeTrailer(t.videos), hlsUrl: null },
    seasons,
    source: { tmdbId: t.id, demo: false },
  };
}

/** A free slug: the title's own, or one suffixed with the TMDB id when another title holds it. */
async function slugFor(deps: Pick<Deps, "models">, input: Omit<TitleInput, "slug">): Promise<string> {
  const tmdbId = input.source?.tmdbId ?? null;
  const existing = await deps.models.Title.findOne({ "source.tmdbId": tmdbId, kind: input.kind }).select("slug").lean();
  if (existing) return existing.slug;
  const base = slugify(input.title, input.year);
  const taken = await deps.models.Title.exists({ slug: base });
  return taken ? `${base}-tmdb${tmdbId}` : base;
}

export async function importFromTmdb(
  deps: ImportDeps,
  ref: { tmdbId: number; kind: TmdbKind },
  opts: { publish?: boolean; client?: TmdbClient; by?: Acting } = {},
): Promise<ImportResult> {
  const client = opts.client ?? deps.tmdb;
  const input = ref.kind === "movie" ? await movieInput(client, ref.tmdbId) : await tvInput(client, ref.tmdbId);
  const slug = await slugFor(deps, input);
  const { created, id } = await upsertTitleBySlug(deps, { ...input, slug }, opts.publish ? "published" : "draft");
  await invalidateCatalogCache(deps);
  deps.logger.info({ tmdbId: ref.tmdbId, slug, created }, "title imported from TMDB");
  await recordAudit(deps, {
    ...(opts.by ?? SYSTEM),
    action: "title.import",
    target: `title:${id}`,
    details: { tmdbId: ref.tmdbId, kind: ref.kind, created, publish: Boolean(opts.publish) },
  });
  return { tmdbId: ref.tmdbId, kind: ref.kind, slug, title: input.title, id, created };
}

/** Searches TMDB and imports the best `limit` film/series matches. */
export async function importByQuery(
  deps: ImportDeps,
  query: string,
  opts: { limit: number; publish?: boolean; client?: TmdbClient; by?: Acting; onProgress?: (done: number, total: number) => void },
): Promise<ImportResult[]> {
  const client = opts.client ?? deps.tmdb;
  const found = await client.search(query);
  const picks = found.results.filter((r) => r.media_type === "movie" || r.media_type === "tv").slice(0, opts.limit);
  const results: ImportResult[] = [];
  for (const [i, r] of picks.entries()) {
    results.push(await importFromTmdb(deps, { tmdbId: r.id, kind: r.media_type as TmdbKind }, { ...opts, client }));
    opts.onProgress?.(i + 1, picks.length);
  }
  return results;
}

/** The warm-tmdb-cache job's entry point: re-reads imported titles from TMDB and warms the catalog caches. */
export async function warmTmdbCache(deps: ImportDeps): Promise<WarmSummary> {
  return warmCatalogCache(deps);
}
