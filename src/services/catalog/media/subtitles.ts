// Subtitles: SRT or WebVTT uploaded per language for a film or an episode, stored as WebVTT in
// media storage (library/<slug>/subs/<episode key>/<lang>.vtt) and offered as text tracks.
import type { Deps } from "../../../deps.js";
import { NotFoundError, ValidationError } from "../../../lib/errors.js";
import { recordAudit, SYSTEM, type Acting } from "../../ops/index.js";
import { invalidateCatalogCache } from "../titles.js";

export const MAX_SUBTITLE_BYTES = 2 * 1024 * 1024;
export const SUBTITLE_LANG = /^[a-z]{2}$/;

const TIMING = /^(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s+-->\s+(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}/;

/**
 * SRT or WebVTT text as WebVTT, or a ValidationError (subtitles.invalid) when it holds no cue.
 * SRT differs in its header (none), the decimal comma in timings and numbered cues (kept: WebVTT
 * reads a line before the timing as the cue's id).
 */
export function toWebVtt(input: string): string {
  const text = input.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  const isVtt = /^WEBVTT(\s|$)/.test(lines[0] ?? "");
  if (!lines.some((l) => TIMING.test(l.trim()))) throw new ValidationError({ file: "subtitles.invalid" });
  if (isVtt) return text.endsWith("\n") ? text : `${text}\n`;
  const body = lines.map((l) => (TIMING.test(l.trim()) ? l.trim().replace(/(\d),(\d)/g, "$1.$2") : l)).join("\n");
  // A line of "-->" inside cue text would end the cue early in WebVTT.
  return `WEBVTT\n\n${body.trim().replace(/\n{3,}/g, "\n\n")}\n`;
}

/** "English", "Tiếng Việt": a language's name in that language. */
export function languageLabel(lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: "language" }).of(lang) ?? lang;
    return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  } catch {
    return lang;
  }
}

export interface SubtitleTrack {
  lang: string;
  label: string;
  url: string;
}

/** Stores a subtitle track for a film (episodeKey "main") or an episode ("s1e2"), replacing that language's. */
export async function addSubtitle(
  deps: Deps,
  target: { slug: string; season?: number | null; episode?: number | null },
  lang: string,
  content: string | Buffer,
  by: Acting = SYSTEM,
): Promise<SubtitleTrack> {
  if (!SUBTITLE_LANG.test(lang)) throw new ValidationError({ lang: "subtitles.lang" });
  const raw = typeof content === "string" ? content : content.toString("utf8");
  if (Buffer.byteLength(raw) > MAX_SUBTITLE_BYTES) throw new ValidationError({ file: "subtitles.tooLarge" });
  const doc = await deps.models.Title.findOne({ slug: target.slug });
  if (!doc) throw new NotFoundError("catalog.titleNotFound");
  let episodeKey = "main";
  if (doc.kind === "series") {
    if (target.season == null || target.episode == null) throw new NotFoundError("media.episodeNeeded");
    const found = doc.seasons.some((s) => s.number === target.season && s.episodes.some((e) => e.number === target.episode));
    if (!found) throw new NotFoundError("watch.episodeNotFound");
    episodeKey = `s${target.season}e${target.episode}`;
  } else if (target.season != null || target.episode != null) {
    throw new NotFoundError("media.filmHasNoEpisodes");
  }
  const vtt = toWebVtt(raw);
  // A new file name per upload: players and caches never see an old track under the new name.
  const key = `library/${doc.slug}/subs/${episodeKey}/${lang}-${deps.clock.now().getTime().toString(36)}.vtt`;
  await deps.media.storage.putFile(key, vtt);
  const url = deps.media.storage.url(key);
  const old = doc.subtitles.find((s) => s.episodeKey === episodeKey && s.lang === lang);
  doc.set(
    "subtitles",
    [...doc.subtitles.filter((s) => !(s.episodeKey === episodeKey && s.lang === lang)), { episodeKey, lang, url }].sort((a, b) =>
      `${a.episodeKey}/${a.lang}`.localeCompare(`${b.episodeKey}/${b.lang}`),
    ),
  );
  await doc.save();
  if (old) await deps.media.storage.remove(old.url.replace(/^\/media\//, "")).catch(() => undefined);
  await invalidateCatalogCache(deps);
  await recordAudit(deps, { ...by, action: "media.subtitles", target: `title:${String(doc._id)}`, details: { slug: doc.slug, episodeKey, lang } });
  return { lang, label: languageLabel(lang), url };
}

/**
 * Sets (or with null clears) the intro markers of a film or an episode: the player offers
 * "Skip intro" between them.
 */
export async function setIntroMarkers(
  deps: Deps,
  target: { slug: string; season?: number | null; episode?: number | null },
  intro: { startSec: number; endSec: number } | null,
  by: Acting = SYSTEM,
): Promise<void> {
  if (intro && !(intro.startSec >= 0 && intro.endSec > intro.startSec && intro.endSec <= 24 * 3600)) throw new ValidationError({ intro: "media.introInvalid" });
  const doc = await deps.models.Title.findOne({ slug: target.slug });
  if (!doc) throw new NotFoundError("catalog.titleNotFound");
  if (doc.kind === "series") {
    if (target.season == null || target.episode == null) throw new NotFoundError("media.episodeNeeded");
    const ep = doc.seasons.find((s) => s.number === target.season)?.episodes.find((e) => e.number === target.episode);
    if (!ep) throw new NotFoundError("watch.episodeNotFound");
    ep.set("intro", intro);
    doc.markModified("seasons");
  } else {
    if (target.season != null || target.episode != null) throw new NotFoundError("media.filmHasNoEpisodes");
    doc.set("intro", intro);
  }
  await doc.save();
  await invalidateCatalogCache(deps);
  await recordAudit(deps, { ...by, action: "media.intro", target: `title:${String(doc._id)}`, details: { slug: doc.slug, season: target.season ?? null, episode: target.episode ?? null, intro } });
}
