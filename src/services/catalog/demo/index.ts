// The bundled demo catalog as title inputs: films and serials, generated art, local demo streams.
import { slugify, type TitleInput } from "../title-admin.js";
import { SILENT_FILMS } from "./films-silent.js";
import { SOUND_FILMS } from "./films-sound.js";
import { SERIALS } from "./serials.js";
import { demoStreamDir } from "./streams.js";
import type { DemoFilm } from "./types.js";

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

/** A demo film as a title input, with the stream it plays. */
function filmInput(f: DemoFilm, slug: string, media: TitleInput["media"]): TitleInput {
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
    media,
    source: { tmdbId: null, demo: true },
  };
}

export function demoTitles(hasOwnStream: (slug: string) => boolean = () => false): TitleInput[] {
  const films: TitleInput[] = [...SILENT_FILMS, ...SOUND_FILMS].map((f) => {
    const slug = slugify(f.title, f.year);
    return filmInput(f, slug, streamOf(slug, hasOwnStream));
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

// Announced, not out yet: Coming soon on New & Popular has something to show after seeding.
const COMING_SOON: (DemoFilm & { inDays: number })[] = [
  {
    title: "The Hunchback of Notre Dame",
    year: 1923,
    runtimeMin: 117,
    genres: ["drama", "romance"],
    maturity: "PG",
    popularity: 55,
    inDays: 4,
    en: "In fifteenth-century Paris the bell-ringer Quasimodo, shunned for his looks, risks everything for Esmeralda, a dancer condemned by the men who covet her.",
    vi: "Ở Paris thế kỷ mười lăm, người kéo chuông Quasimodo, bị xa lánh vì ngoại hình, liều tất cả vì Esmeralda, cô vũ nữ bị chính những kẻ thèm muốn cô kết tội.",
  },
  {
    title: "The Last Laugh",
    originalTitle: "Der letzte Mann",
    year: 1924,
    runtimeMin: 77,
    genres: ["drama"],
    maturity: "G",
    popularity: 45,
    inDays: 11,
    en: "A proud hotel doorman is demoted to washroom attendant and loses the uniform that made him somebody, in a film told almost without a single title card.",
    vi: "Người gác cửa khách sạn kiêu hãnh bị giáng làm người trông nhà vệ sinh và mất bộ đồng phục từng cho ông chỗ đứng, trong một bộ phim gần như không có dòng chữ nào.",
  },
];

/** The announced demo titles, released `inDays` after `now` (midnight, service time). */
export function demoComingSoon(now: Date): TitleInput[] {
  return COMING_SOON.map((f) => {
    const slug = slugify(f.title, f.year);
    const day = new Date(now.getTime() + 7 * 3_600_000 + f.inDays * 86_400_000).toISOString().slice(0, 10);
    return { ...filmInput(f, slug, { hlsUrl: DEMO_STREAM, thumbnailsUrl: null }), releaseAt: new Date(`${day}T00:00:00+07:00`) };
  });
}
