// The genre list: stable slugs (names are translated as catalog.genres.<slug>) and TMDB's genre ids.

export const GENRES = [
  "action",
  "adventure",
  "animation",
  "comedy",
  "crime",
  "documentary",
  "drama",
  "family",
  "fantasy",
  "history",
  "horror",
  "music",
  "mystery",
  "romance",
  "science-fiction",
  "thriller",
  "war",
  "western",
] as const;
export type Genre = (typeof GENRES)[number];

export function isGenre(value: unknown): value is Genre {
  return typeof value === "string" && (GENRES as readonly string[]).includes(value);
}

/** TMDB movie and TV genre ids; TV's combined genres map to both halves. */
const TMDB_GENRES: Record<number, Genre[]> = {
  28: ["action"],
  12: ["adventure"],
  16: ["animation"],
  35: ["comedy"],
  80: ["crime"],
  99: ["documentary"],
  18: ["drama"],
  10751: ["family"],
  14: ["fantasy"],
  36: ["history"],
  27: ["horror"],
  10402: ["music"],
  9648: ["mystery"],
  10749: ["romance"],
  878: ["science-fiction"],
  53: ["thriller"],
  10752: ["war"],
  37: ["western"],
  10759: ["action", "adventure"],
  10762: ["family"],
  10765: ["science-fiction", "fantasy"],
  10768: ["war"],
};

export function genresFromTmdb(ids: number[]): Genre[] {
  const out = new Set<Genre>();
  for (const id of ids) for (const g of TMDB_GENRES[id] ?? []) out.add(g);
  return [...out];
}
