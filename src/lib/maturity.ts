// Maturity ratings: the ordered film and TV ladders, one shared scale, and the viewer ceiling filter.
import { op } from "./db.js";

export const MOVIE_RATINGS = ["G", "PG", "PG-13", "R", "NC-17"] as const;
export const TV_RATINGS = ["TV-Y", "TV-G", "TV-PG", "TV-14", "TV-MA"] as const;
export const MATURITY_RATINGS = [...TV_RATINGS, ...MOVIE_RATINGS] as const;
export type MaturityRating = (typeof MATURITY_RATINGS)[number];

/**
 * One scale for both ladders, so a ceiling given as a film rating also limits TV ratings
 * (a "PG" kids profile sees TV-PG but not TV-14). TV-Y sits below G: it is made for young children.
 */
const LEVEL: Record<MaturityRating, number> = {
  "TV-Y": 0,
  G: 1,
  "TV-G": 1,
  PG: 2,
  "TV-PG": 2,
  "PG-13": 3,
  "TV-14": 3,
  R: 4,
  "TV-MA": 4,
  "NC-17": 5,
};
export const MAX_LEVEL = 5;

/** Who is looking at the catalog; `maxMaturity` null/undefined means no ceiling. */
export interface Viewer {
  maxMaturity?: string | null;
}

export function isMaturityRating(value: unknown): value is MaturityRating {
  return typeof value === "string" && value in LEVEL;
}

export function maturityLevel(rating: string): number {
  return isMaturityRating(rating) ? LEVEL[rating] : MAX_LEVEL;
}

/**
 * The viewer's ceiling as a level. An unknown ceiling string is treated as the strictest level
 * rather than none: a typo in a kids profile must never unlock the whole catalog.
 */
export function viewerLevel(viewer: Viewer | undefined): number {
  const max = viewer?.maxMaturity;
  if (max === null || max === undefined || max === "") return MAX_LEVEL;
  return isMaturityRating(max) ? LEVEL[max] : 0;
}

/** Every rating at or under the viewer's ceiling. */
export function allowedRatings(viewer: Viewer | undefined): MaturityRating[] {
  const level = viewerLevel(viewer);
  return MATURITY_RATINGS.filter((r) => LEVEL[r] <= level);
}

export function isAllowedFor(viewer: Viewer | undefined, rating: string): boolean {
  return maturityLevel(rating) <= viewerLevel(viewer);
}

/**
 * The MongoDB filter fragment every catalog query spreads in. No ceiling -> no condition;
 * otherwise an `$in` over the allowed ratings, so titles with unknown ratings stay hidden.
 */
export function maturityFilter(viewer: Viewer | undefined): { maturity?: { $in: MaturityRating[] } } {
  if (viewerLevel(viewer) >= MAX_LEVEL) return {};
  return { maturity: op({ $in: allowedRatings(viewer) }) };
}

/** Ratings offered for a kind of title in forms and imports. */
export function ratingsFor(kind: "movie" | "series"): readonly MaturityRating[] {
  return kind === "movie" ? MOVIE_RATINGS : TV_RATINGS;
}
