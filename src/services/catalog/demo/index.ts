// The bundled demo catalog as title inputs: films and serials, generated art, local demo streams.
import { slugify, type TitleInput } from "../title-admin.js";
import { SILENT_FILMS } from "./films-silent.js";
import { SOUND_FILMS } from "./films-sound.js";
import { SERIALS } from "./serials.js";

/** Made by scripts/make-media into media/ (gitignored) and served under /media. */
export const DEMO_STREAM = "/media/demo/master.m3u8";
export const DEMO_TRAILER = "/media/trailer/master.m3u8";

export const artUrls = (slug: string) => ({ posterUrl: `/art/${slug}/poster.svg`, backdropUrl: `/art/${slug}/backdrop.svg` });

export function demoTitles(): TitleInput[] {
  const films: TitleInput[] = [...SILENT_FILMS, ...SOUND_FILMS].map((f) => {
    const slug = slugify(f.title, f.year);
    return {
      kind: "movie",
      slug,
      title: f.title,
      originalTitle: f.originalTitle ?? null,
      overview: f.en,
      overviewVi: f.vi,
      genres: f.genres,
      year: f.year,
      runtimeMin: f.runtimeMin,
      maturity: f.maturity,
      popularity: f.popularity,
      ...artUrls(slug),
      trailer: { youtubeKey: null, hlsUrl: DEMO_TRAILER },
      media: { hlsUrl: DEMO_STREAM },
      source: { tmdbId: null, demo: true },
    };
  });
  const series: TitleInput[] = SERIALS.map((s) => {
    const slug = slugify(s.title, s.year);
    return {
      kind: "series",
      slug,
      title: s.title,
      overview: s.en,
      overviewVi: s.vi,
      genres: s.genres,
      year: s.year,
      maturity: s.maturity,
      popularity: s.popularity,
      ...artUrls(slug),
      trailer: { youtubeKey: null, hlsUrl: DEMO_TRAILER },
      seasons: s.seasons.map((season) => ({
        number: season.number,
        title: season.title,
        year: season.year,
        episodes: season.episodes.map(([title, runtimeMin], i) => ({ number: i + 1, title, runtimeMin, hlsUrl: DEMO_STREAM })),
      })),
      source: { tmdbId: null, demo: true },
    };
  });
  return [...films, ...series];
}
