// What the player needs for a film, an episode or a trailer: the stream, resume point and next episode.
import type { Deps } from "../../deps.js";
import { NotFoundError } from "../../lib/errors.js";
import type { Viewer } from "../../lib/maturity.js";
import { MOVIE_KEY } from "../../models/watch-progress.js";
import { getTitleDetail, languageLabel, visibleFilter, type CatalogDeps, type SubtitleTrack, type TitleDetail } from "../catalog/index.js";
import { episodeKey, getResumePoint, nextEpisode, resumeEpisode } from "./progress.js";

export interface Playback {
  title: TitleDetail;
  episodeKey: string;
  episode: { season: number; number: number; title: string } | null;
  hlsUrl: string;
  /** The seek-preview track of a transcoded stream. */
  thumbnailsUrl: string | null;
  /** Subtitle tracks of this film or episode. */
  subtitles: SubtitleTrack[];
  /** The opening titles, for "Skip intro". */
  intro: { startSec: number; endSec: number } | null;
  resumeSec: number;
  durationSec: number | null;
  next: { season: number; episode: number; title: string } | null;
}

/** Resume a little before where playback stopped, so the viewer finds the thread again. */
const RESUME_REWIND_SEC = 3;

async function streamUrls(deps: Pick<Deps, "models">, viewer: Viewer, slug: string) {
  const doc = await deps.models.Title.findOne(visibleFilter(viewer, { slug }))
    .select("media subtitles intro seasons.episodes.intro seasons.number seasons.episodes.number seasons.episodes.hlsUrl seasons.episodes.thumbnailsUrl")
    .lean();
  if (!doc) throw new NotFoundError("catalog.titleNotFound");
  return doc;
}

/**
 * The playback of a film (no season/episode) or one episode of a series, for this profile.
 * A finished film or episode starts from the beginning again.
 */
export async function getPlayback(
  deps: CatalogDeps,
  profileId: string,
  viewer: Viewer,
  slug: string,
  ep?: { season: number; episode: number },
): Promise<Playback> {
  const title = await getTitleDetail(deps, viewer, slug);
  const urls = await streamUrls(deps, viewer, slug);
  let key = MOVIE_KEY;
  let hlsUrl = urls.media?.hlsUrl ?? null;
  let thumbnailsUrl = urls.media?.thumbnailsUrl ?? null;
  let intro = urls.intro ?? null;
  let episode: Playback["episode"] = null;
  if (title.kind === "series") {
    if (!ep) throw new NotFoundError("watch.episodeNotFound");
    const season = title.seasons.find((s) => s.number === ep.season);
    const info = season?.episodes.find((e) => e.number === ep.episode);
    if (!info) throw new NotFoundError("watch.episodeNotFound");
    key = episodeKey(ep.season, ep.episode);
    episode = { season: ep.season, number: ep.episode, title: info.title };
    const stored = urls.seasons?.find((s) => s.number === ep.season)?.episodes.find((e) => e.number === ep.episode);
    if (stored?.hlsUrl) thumbnailsUrl = stored.thumbnailsUrl ?? null;
    intro = stored?.intro ?? null;
    hlsUrl = stored?.hlsUrl ?? hlsUrl;
  } else if (ep) {
    throw new NotFoundError("watch.episodeNotFound");
  }
  if (!hlsUrl) throw new NotFoundError("watch.noMedia");
  const resume = await getResumePoint(deps, profileId, title.id, key);
  const resumeSec = resume && !resume.completed ? Math.max(0, Math.floor(resume.positionSec - RESUME_REWIND_SEC)) : 0;
  return {
    title,
    episodeKey: key,
    episode,
    hlsUrl,
    thumbnailsUrl,
    intro: intro ? { startSec: intro.startSec, endSec: intro.endSec } : null,
    subtitles: (urls.subtitles ?? []).filter((s) => s.episodeKey === key).map((s) => ({ lang: s.lang, label: languageLabel(s.lang), url: s.url })),
    resumeSec,
    durationSec: resume?.durationSec ?? null,
    next: title.kind === "series" ? nextEpisode(title, key) : null,
  };
}

/** Where "Play" on a series goes. */
export async function seriesStart(deps: CatalogDeps, profileId: string, viewer: Viewer, slug: string) {
  const title = await getTitleDetail(deps, viewer, slug);
  if (title.kind !== "series") return null;
  const ep = await resumeEpisode(deps, profileId, title);
  if (!ep) throw new NotFoundError("watch.noMedia");
  return ep;
}

/** The trailer of a title: an HLS stream or a YouTube key (played in a youtube-nocookie frame). */
export async function getTrailer(deps: CatalogDeps, viewer: Viewer, slug: string) {
  const title = await getTitleDetail(deps, viewer, slug);
  if (!title.trailer) throw new NotFoundError("watch.noTrailer");
  return { title, trailer: title.trailer };
}
