// zod schemas for the TMDB v3 responses we use: anything else (or a changed shape) is rejected.
import { z } from "zod";

const genre = z.object({ id: z.number().int(), name: z.string() });
const videos = z.object({
  results: z.array(z.object({ key: z.string(), site: z.string(), type: z.string(), official: z.boolean().optional() })),
});

export const movieSchema = z.object({
  id: z.number().int().positive(),
  title: z.string().min(1),
  original_title: z.string().optional(),
  overview: z.string().nullable().optional(),
  release_date: z.string().nullable().optional(),
  runtime: z.number().int().nullable().optional(),
  genres: z.array(genre).default([]),
  poster_path: z.string().nullable().optional(),
  backdrop_path: z.string().nullable().optional(),
  vote_average: z.number().nullable().optional(),
  popularity: z.number().nullable().optional(),
  videos: videos.optional(),
  release_dates: z
    .object({ results: z.array(z.object({ iso_3166_1: z.string(), release_dates: z.array(z.object({ certification: z.string() })) })) })
    .optional(),
});
export type TmdbMovie = z.infer<typeof movieSchema>;

export const tvSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1),
  original_name: z.string().optional(),
  overview: z.string().nullable().optional(),
  first_air_date: z.string().nullable().optional(),
  episode_run_time: z.array(z.number()).default([]),
  genres: z.array(genre).default([]),
  poster_path: z.string().nullable().optional(),
  backdrop_path: z.string().nullable().optional(),
  vote_average: z.number().nullable().optional(),
  popularity: z.number().nullable().optional(),
  seasons: z
    .array(z.object({ season_number: z.number().int(), name: z.string().nullable().optional(), air_date: z.string().nullable().optional() }))
    .default([]),
  videos: videos.optional(),
  content_ratings: z.object({ results: z.array(z.object({ iso_3166_1: z.string(), rating: z.string() })) }).optional(),
});
export type TmdbTv = z.infer<typeof tvSchema>;

export const seasonSchema = z.object({
  season_number: z.number().int(),
  name: z.string().nullable().optional(),
  air_date: z.string().nullable().optional(),
  episodes: z.array(
    z.object({
      episode_number: z.number().int().positive(),
      name: z.string(),
      overview: z.string().nullable().optional(),
      runtime: z.number().int().nullable().optional(),
    }),
  ),
});
export type TmdbSeason = z.infer<typeof seasonSchema>;

export const searchSchema = z.object({
  page: z.number().int(),
  total_results: z.number().int(),
  results: z.array(
    z.object({
      id: z.number().int().positive(),
      media_type: z.string().optional(),
      title: z.string().optional(),
      name: z.string().optional(),
      release_date: z.string().optional(),
      first_air_date: z.string().optional(),
      popularity: z.number().optional(),
    }),
  ),
});
export type TmdbSearch = z.infer<typeof searchSchema>;
