// Display helpers for catalog templates: localized runtime, overview and genre names, watch links.
import type { Locale, Translate } from "../../lib/i18n.js";
import type { TitleCard } from "./titles.js";

export interface CatalogView {
  runtime(minutes: number | null | undefined): string;
  overview(title: { overview: string; overviewVi?: string | null }): string;
  genre(slug: string): string;
  seasons(count: number): string;
  /** Where Play goes: the film, or the first episode of a series. */
  playHref(title: Pick<TitleCard, "slug" | "kind"> & { seasons?: { number: number; episodes: { number: number }[] }[] }): string;
  episodeHref(slug: string, season: number, episode: number): string;
  trailerHref(slug: string): string;
}

export function catalogView(locale: Locale, t: Translate): CatalogView {
  return {
    runtime(minutes) {
      if (!minutes) return "";
      const h = Math.floor(minutes / 60);
      const m = minutes % 60;
      if (h === 0) return t("catalog.runtimeMinutes", { m });
      return m === 0 ? t("catalog.runtimeHours", { h }) : t("catalog.runtime", { h, m });
    },
    overview(title) {
      return locale === "vi" && title.overviewVi ? title.overviewVi : title.overview;
    },
    genre: (slug) => t(`catalog.genres.${slug}`),
    seasons: (count) => t("catalog.seasonCount", { n: count }),
    playHref(title) {
      if (title.kind === "movie") return `/watch/${title.slug}`;
      const season = title.seasons?.find((s) => s.episodes.length > 0);
      return `/watch/${title.slug}/s/${season?.number ?? 1}/e/${season?.episodes[0]?.number ?? 1}`;
    },
    episodeHref: (slug, season, episode) => `/watch/${slug}/s/${season}/e/${episode}`,
    trailerHref: (slug) => `/watch/${slug}/trailer`,
  };
}
