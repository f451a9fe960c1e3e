// The bundled demo catalog as title inputs: films and serials, generated art, local demo streams.
import { slugify, type TitleInput } from "../title-admin.js";
import { SILENT_FILMS } from "./films-silent.js";
import { SOUND_FILMS } from "./films-sound.js";
import { SERIALS } from "./serials.js";
import { demoStreamDir } from "./streams.js";

/** Made by scripts/make-media into media/ (gitignored) and served under /media: the fallback when a title has no stream of its own. */
export const DEMO_STREAM = "/media/demo/master.m3u8";
export const DEMO_TRAILER = "/media/trailer/master.m3u8";

export const artUrls = (slug: string) => ({ posterUrl: `/art/${slug}/poster.svg`, backdropUrl: `/art/${slug}/backdrop.svg` });

/**
 * A demo title's stream: its own (made at set-up into media/titles/<slug>/) when `hasOwnStream`
 * says it is there, else the shared demo stream.
 */
function streamOf(slug: string, hasOwnStream: (slug: string) => boolean) {
  if (!hasOwnStream(slug)) return { hlsUrl: DEMO_STREAM, thumbnailsUrl: null };
  return { hlsUrl: `/media/${demoStreamDir(slug)}/master.m3u8`, thumbnailsUrl: `/media/${demoStreamDir(slug)}/thumbnails.vtt` };
}

/** The English and Vietnamese subtitles of a demo title's own stream. */
export function demoSubtitleTracks(slug: string, episodeKeys: string[]) {
  return episodeKeys.flatMap((episodeKey) =>
    (["en", "vi"] as const).map((lang) => ({ episodeKey, lang, url: `/media/${demoStreamDir(slug)}/subs/${lang}.vtt` })),
  );
}

export function demoTitles(hasOwnStream: (slug: string) => boolean = () => false): TitleInput[] {
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
      media: streamOf(slug, hasOwnStream),
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
        episodes: season.episodes.map(([title, runtimeMin], i) => ({ number: i + 1, title, runtimeMin, ...streamOf(slug, hasOwnStream) })),
      })),
      source: { tmdbId: null, demo: true },
    };
  });
  return [...films, ...series];
}
