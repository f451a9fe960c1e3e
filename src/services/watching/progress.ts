// Watch progress: saving positions (stale saves lose), resume points, Continue Watching, history.
import { isObjectId } from "../../lib/validation.js";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { NotFoundError, ValidationError } from "../../lib/errors.js";
import { cachedState, type StateScope } from "../../lib/state-cache.js";
import type { Viewer } from "../../lib/maturity.js";
import { MOVIE_KEY } from "../../models/watch-progress.js";
import { getTitleCardsByIds, getTitleDetail, type CatalogDeps, type TitleCard, type TitleDetail } from "../catalog/index.js";
import { dayKey } from "../catalog/index.js";
import { bufferedRow, bufferedRows, progressRowId, type BufferedRow } from "./progress-rows.js";

/** At or past this share of the runtime a film or episode counts as watched. */
export const COMPLETED_AT = 0.9;
const CONTINUE_WATCHING_MAX = 20;

export interface SaveProgressInput {
  slug: string;
  episodeKey: string;
  positionSec: number;
  durationSec: number;
  /** The player's clock (ms) when it took the position; the newest one wins. */
  clientTs: number;
}

export function episodeKey(season: number, episode: number): string {
  return `s${season}e${episode}`;
}

export function parseEpisodeKey(key: string): { season: number; episode: number } | null {
  const m = /^s(\d{1,3})e(\d{1,4})$/.exec(key);
  return m ? { season: Number(m[1]), episode: Number(m[2]) } : null;
}

function hasEpisode(detail: TitleDetail, key: string): boolean {
  if (detail.kind === "movie") return key === MOVIE_KEY;
  const ep = parseEpisodeKey(key);
  return Boolean(ep && detail.seasons.some((s) => s.number === ep.season && s.episodes.some((e) => e.number === ep.episode)));
}

type ProgressDeps = CatalogDeps & Pick<Deps, "clock" | "progress">;

/**
 * Records where playback is. The newest client timestamp wins: the buffer's compare-and-set
 * refuses an older save, and the write to MongoDB carries the same condition, so a delayed or
 * reordered save can never move the position back.
 */
export async function saveProgress(
  deps: ProgressDeps,
  profileId: string,
  viewer: Viewer,
  input: SaveProgressInput,
): Promise<{ saved: boolean; completed: boolean }> {
  const detail = await getTitleDetail(deps, viewer, input.slug);
  if (!hasEpisode(detail, input.episodeKey)) throw new NotFoundError("watch.episodeNotFound");
  if (input.positionSec > input.durationSec + 1) throw new ValidationError({ position: "validation.invalid" });
  const positionSec = Math.min(input.positionSec, input.durationSec);
  const completed = positionSec >= input.durationSec * COMPLETED_AT;
  const now = deps.clock.now();
  const row = {
    titleId: detail.id,
    episodeKey: input.episodeKey,
    clientTs: input.clientTs,
    positionSec,
    durationSec: input.durationSec,
    completed,
    savedAt: now,
  };
  const saved = await deps.progress.save(profileId, row, dayKey(now));
  return { saved, completed };
}

/** A progress row as pages use it, whether it has reached MongoDB yet or not. */
export interface ProgressRow {
  titleId: string;
  episodeKey: string;
  positionSec: number;
  durationSec: number;
  completed: boolean;
  clientTs: number;
  lastWatchedAt: Date;
  hiddenFromRow: boolean;
}

/** A row as MongoDB returns it (with the ObjectId title id). */
type StoredRow = Omit<ProgressRow, "titleId"> & { titleId: unknown };

const fromStored = (r: StoredRow): ProgressRow => ({ ...r, titleId: String(r.titleId) });
const fromBuffer = (b: BufferedRow): ProgressRow => ({ ...b, lastWatchedAt: b.savedAt, hiddenFromRow: false });

/** Stored rows overlaid with newer buffered saves, newest first. */
function mergeRows(stored: ProgressRow[], buffered: BufferedRow[]): ProgressRow[] {
  const byKey = new Map(stored.map((r) => [`${r.titleId}:${r.episodeKey}`, r]));
  for (const b of buffered) {
    const key = `${b.titleId}:${b.episodeKey}`;
    const current = byKey.get(key);
    if (!current || b.clientTs > current.clientTs) byKey.set(key, fromBuffer(b));
  }
  return [...byKey.values()].sort((a, b) => b.lastWatchedAt.getTime() - a.lastWatchedAt.getTime());
}

/**
 * An object living as long as one request (the /browse context): several row providers ask for
 * a profile's rows and the first read is kept on it for the others.
 */
export interface ProgressScope {
  progressRows?: Promise<ProgressRow[]>;
}

/** All of a profile's recent rows, read once per `scope`. */
export function recentProgressRows(
  deps: Pick<Deps, "models" | "redis" | "logger" | "cache">,
  profileId: string,
  scope?: ProgressScope,
): Promise<ProgressRow[]> {
  if (!scope) return progressRows(deps, profileId);
  scope.progressRows ??= progressRows(deps, profileId);
  return scope.progressRows;
}

type StoredProgress = Omit<ProgressRow, "lastWatchedAt"> & { lastWatchedAt: string };

/** A profile's most recent stored rows, cached per profile; progress writes report themselves (see bootstrap). */
export const PROGRESS_STATE: StateScope<ProgressRow[], StoredProgress[]> = {
  name: "progress",
  ttlSeconds: 600,
  toStored: (rows) => rows.map((r) => ({ ...r, lastWatchedAt: r.lastWatchedAt.toISOString() })),
  fromStored: (rows) => rows.map((r) => ({ ...r, lastWatchedAt: new Date(r.lastWatchedAt) })),
};
const RECENT_ROWS = 200;

function storedRows(deps: Pick<Deps, "models">, filter: Record<string, unknown>, limit: number): Promise<ProgressRow[]> {
  return (
    deps.models.WatchProgress.find(filter)
      // Exactly a ProgressRow's fields: these rows are cached as they are.
      .select("-_id titleId episodeKey positionSec durationSec completed clientTs lastWatchedAt hiddenFromRow")
      .sort({ lastWatchedAt: -1, _id: -1 })
      .limit(limit)
      .lean()
      .then((rows) => rows.map((r) => fromStored(r as StoredRow)))
  );
}

/** The profile's progress rows (optionally of one title), newest first. */
export async function progressRows(
  deps: Pick<Deps, "models" | "redis" | "logger" | "cache">,
  profileId: string,
  opts: { titleId?: string; limit?: number; before?: Date } = {},
): Promise<ProgressRow[]> {
  const filter: Record<string, unknown> = { profileId };
  if (opts.before) filter.lastWatchedAt = op({ $lt: opts.before });
  const recent = !opts.before && (opts.titleId !== undefined || (opts.limit ?? RECENT_ROWS) <= RECENT_ROWS);
  const [cached, buffered] = await Promise.all([
    recent ? cachedState(deps, PROGRESS_STATE, profileId, () => storedRows(deps, { profileId }, RECENT_ROWS)) : null,
    bufferedRows(deps, profileId),
  ]);
  let stored: ProgressRow[];
  // One title's rows come from the cached recent rows when those are the whole history (the
  // title page and dialog ask on every view); a longer history asks the database.
  if (cached && (!opts.titleId || cached.length < RECENT_ROWS)) stored = opts.titleId ? cached.filter((r) => r.titleId === opts.titleId) : cached;
  else stored = await storedRows(deps, opts.titleId ? { ...filter, titleId: opts.titleId } : filter, opts.limit ?? RECENT_ROWS);
  const relevant = buffered.filter((b) => (!opts.titleId || b.titleId === opts.titleId) && (!opts.before || b.savedAt < opts.before));
  const merged = mergeRows(stored, relevant);
  return opts.limit ? merged.slice(0, opts.limit) : merged;
}

export interface ResumePoint {
  episodeKey: string;
  positionSec: number;
  durationSec: number;
  completed: boolean;
}

export async function getResumePoint(
  deps: Pick<Deps, "models" | "redis" | "logger" | "cache">,
  profileId: string,
  titleId: string,
  key: string,
): Promise<ResumePoint | null> {
  const [doc, buffered] = await Promise.all([
    deps.models.WatchProgress.findOne({ _id: progressRowId(profileId, titleId, key) }).lean(),
    bufferedRow(deps, profileId, titleId, key),
  ]);
  const [row] = mergeRows(doc ? [fromStored(doc)] : [], buffered ? [buffered] : []);
  if (!row) return null;
  return { episodeKey: row.episodeKey, positionSec: row.positionSec, durationSec: row.durationSec, completed: row.completed };
}

/** The next episode after `key` in season order, or null after the last one. */
export function nextEpisode(detail: TitleDetail, key: string): { season: number; episode: number; title: string } | null {
  const current = parseEpisodeKey(key);
  if (!current) return null;
  const flat = detail.seasons.flatMap((s) => s.episodes.map((e) => ({ season: s.number, episode: e.number, title: e.title })));
  const i = flat.findIndex((e) => e.season === current.season && e.episode === current.episode);
  return i >= 0 && i + 1 < flat.length ? flat[i + 1]! : null;
}

/** Where "Play" on a series starts: the episode last watched, the one after it when finished, else the first. */
export async function resumeEpisode(
  deps: Pick<Deps, "models" | "redis" | "logger" | "cache">,
  profileId: string,
  detail: TitleDetail,
): Promise<{ season: number; episode: number } | null> {
  const first = detail.seasons.find((s) => s.episodes.length > 0);
  if (!first) return null;
  const [latest] = await progressRows(deps, profileId, { titleId: detail.id, limit: 1 });
  const fallback = { season: first.number, episode: first.episodes[0]!.number };
  if (!latest) return fallback;
  if (latest.completed) {
    const next = nextEpisode(detail, latest.episodeKey);
    if (next) return next;
  }
  return (latest && hasEpisode(detail, latest.episodeKey) && parseEpisodeKey(latest.episodeKey)) || fallback;
}

/** Where a profile is in one title: what Play means on its page, and each episode's progress. */
export interface TitleWatchState {
  /** Set once the profile has started the title: the episode and position Play continues from. */
  resume: {
    episodeKey: string;
    season: number | null;
    episode: number | null;
    /** 0 when Play starts the next episode after a finished one. */
    positionSec: number;
    durationSec: number;
    fraction: number;
    href: string;
    /** True when the profile finished the previous episode and this is the next one. */
    next: boolean;
  } | null;
  /** Episode key -> fraction watched (1 once finished). */
  episodes: Record<string, number>;
}

export async function titleWatchState(
  deps: Pick<Deps, "models" | "redis" | "logger" | "cache">,
  profileId: string,
  detail: TitleDetail,
): Promise<TitleWatchState> {
  const rows = await progressRows(deps, profileId, { titleId: detail.id, limit: 500 });
  const episodes: Record<string, number> = {};
  for (const row of rows) {
    if (!(row.episodeKey in episodes)) episodes[row.episodeKey] = row.completed ? 1 : row.durationSec > 0 ? Math.min(1, row.positionSec / row.durationSec) : 0;
  }
  const latest = rows.find((r) => hasEpisode(detail, r.episodeKey));
  if (!latest) return { resume: null, episodes };
  if (latest.completed) {
    const next = detail.kind === "series" ? nextEpisode(detail, latest.episodeKey) : null;
    if (!next) return { resume: null, episodes };
    const key = episodeKey(next.season, next.episode);
    return {
      resume: {
        episodeKey: key,
        season: next.season,
        episode: next.episode,
        positionSec: 0,
        durationSec: 0,
        fraction: 0,
        href: watchHref(detail.slug, key),
        next: true,
      },
      episodes,
    };
  }
  const ep = parseEpisodeKey(latest.episodeKey);
  return {
    resume: {
      episodeKey: latest.episodeKey,
      season: ep?.season ?? null,
      episode: ep?.episode ?? null,
      positionSec: latest.positionSec,
      durationSec: latest.durationSec,
      fraction: latest.durationSec > 0 ? latest.positionSec / latest.durationSec : 0,
      href: watchHref(detail.slug, latest.episodeKey),
      next: false,
    },
    episodes,
  };
}

function watchHref(slug: string, key: string): string {
  const ep = parseEpisodeKey(key);
  return ep ? `/watch/${slug}/s/${ep.season}/e/${ep.episode}` : `/watch/${slug}`;
}

/**
 * Continue Watching: one card per title from its latest row, newest first. Finished titles drop
 * off; a series whose latest episode is finished offers the next one. Hidden titles stay hidden
 * until a new save for them clears the flag.
 */
export async function listContinueWatching(deps: CatalogDeps, profileId: string, viewer: Viewer, scope?: ProgressScope): Promise<TitleCard[]> {
  const rows = await recentProgressRows(deps, profileId, scope);
  const latest = new Map<string, ProgressRow>();
  for (const row of rows) if (!latest.has(String(row.titleId))) latest.set(String(row.titleId), row);
  const shown = [...latest.values()].filter((r) => !r.hiddenFromRow).slice(0, CONTINUE_WATCHING_MAX * 2);
  const cards = await getTitleCardsByIds(
    deps,
    viewer,
    shown.map((r) => String(r.titleId)),
  );
  const byId = new Map(cards.map((c) => [c.id, c]));
  const out: TitleCard[] = [];
  for (const row of shown) {
    const card = byId.get(String(row.titleId));
    if (!card) continue;
    if (!row.completed) {
      out.push({ ...card, progress: row.durationSec > 0 ? row.positionSec / row.durationSec : 0, href: watchHref(card.slug, row.episodeKey) });
    } else if (card.kind === "series") {
      const detail = await getTitleDetail(deps, viewer, card.slug, card.id).catch(() => null);
      const next = detail && nextEpisode(detail, row.episodeKey);
      if (next) out.push({ ...card, progress: 0, href: watchHref(card.slug, episodeKey(next.season, next.episode)) });
    }
    if (out.length >= CONTINUE_WATCHING_MAX) break;
  }
  return out;
}

/** "Remove from row": hides every row of the title until the profile watches it again. */
export async function hideFromContinueWatching(
  deps: Pick<Deps, "models" | "redis" | "logger" | "progress" | "cache">,
  profileId: string,
  titleId: string,
): Promise<void> {
  if (!isObjectId(titleId)) throw new NotFoundError();
  // Buffered saves of the title go to MongoDB first, so the flag covers them too.
  const flushed = await deps.progress.flushTitle(profileId, titleId);
  const res = await deps.models.WatchProgress.updateMany({ profileId, titleId }, { $set: { hiddenFromRow: true } });
  if (res.matchedCount === 0 && flushed === 0) throw new NotFoundError();
}

/**
 * "Hide from viewing activity": the row of one film or episode goes (its buffered saves are
 * written first, so none brings it back); it leaves the history, Continue Watching and Resume.
 */
export async function removeFromHistory(
  deps: Pick<Deps, "models" | "redis" | "logger" | "progress" | "cache">,
  profileId: string,
  titleId: string,
  key: string,
): Promise<void> {
  if (!isObjectId(titleId) || (key !== MOVIE_KEY && !parseEpisodeKey(key))) throw new NotFoundError();
  await deps.progress.flushTitle(profileId, titleId);
  const res = await deps.models.WatchProgress.deleteOne({ _id: progressRowId(profileId, titleId, key), profileId });
  if (res.deletedCount === 0) throw new NotFoundError();
}

const csvField = (value: string | number) => {
  const text = String(value);
  // Quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The profile's viewing activity as CSV (newest first): one line per film or episode. */
export async function historyCsv(deps: CatalogDeps, profileId: string, viewer: Viewer): Promise<string> {
  const rows = await progressRows(deps, profileId, { limit: 5000 });
  const cards = await getTitleCardsByIds(deps, viewer, [...new Set(rows.map((r) => r.titleId))]);
  const byId = new Map(cards.map((c) => [c.id, c]));
  const lines = [["title", "season", "episode", "last_watched", "position_seconds", "duration_seconds", "percent", "completed"].join(",")];
  for (const r of rows) {
    const card = byId.get(r.titleId);
    if (!card) continue;
    const ep = parseEpisodeKey(r.episodeKey);
    const percent = r.durationSec > 0 ? Math.round((100 * r.positionSec) / r.durationSec) : 0;
    lines.push(
      [
        card.title,
        ep?.season ?? "",
        ep?.episode ?? "",
        r.lastWatchedAt.toISOString(),
        Math.round(r.positionSec),
        Math.round(r.durationSec),
        percent,
        r.completed ? "yes" : "no",
      ]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

export interface HistoryItem {
  card: TitleCard;
  episodeKey: string;
  season: number | null;
  episode: number | null;
  percent: number;
  completed: boolean;
  lastWatchedAt: Date;
}

export const HISTORY_PAGE = 30;

/** The profile's viewing history, newest first, by a time cursor. */
export async function listHistory(
  deps: CatalogDeps,
  profileId: string,
  viewer: Viewer,
  before?: Date,
): Promise<{ items: HistoryItem[]; nextBefore: Date | null }> {
  const rows = await progressRows(deps, profileId, { before, limit: HISTORY_PAGE + 1 });
  const page = rows.slice(0, HISTORY_PAGE);
  const cards = await getTitleCardsByIds(deps, viewer, [...new Set(page.map((r) => r.titleId))]);
  const byId = new Map(cards.map((c) => [c.id, c]));
  const items = page.flatMap((r) => {
    const card = byId.get(r.titleId);
    if (!card) return [];
    const ep = parseEpisodeKey(r.episodeKey);
    return [
      {
        card,
        episodeKey: r.episodeKey,
        season: ep?.season ?? null,
        episode: ep?.episode ?? null,
        percent: r.durationSec > 0 ? Math.round((100 * r.positionSec) / r.durationSec) : 0,
        completed: r.completed,
        lastWatchedAt: r.lastWatchedAt,
      },
    ];
  });
  const last = page[page.length - 1];
  return { items, nextBefore: rows.length > HISTORY_PAGE && last ? last.lastWatchedAt : null };
}

/** Titles the profile has started or finished (ids), for excluding "seen" from recommendations. */
export async function watchedTitleIds(deps: Pick<Deps, "models" | "redis" | "logger" | "cache">, profileId: string, scope?: ProgressScope): Promise<string[]> {
  if (scope) return [...new Set((await recentProgressRows(deps, profileId, scope)).map((r) => r.titleId))];
  const [stored, buffered] = await Promise.all([deps.models.WatchProgress.distinct("titleId", { profileId }), bufferedRows(deps, profileId)]);
  return [...new Set([...stored.map(String), ...buffered.map((b) => b.titleId)])];
}

/** Recently finished titles (newest first), the other seed of "Because you watched". */
export async function recentlyCompletedIds(
  deps: Pick<Deps, "models" | "redis" | "logger" | "cache">,
  profileId: string,
  limit: number,
  scope?: ProgressScope,
): Promise<{ titleId: string; at: Date }[]> {
  const rows = (await recentProgressRows(deps, profileId, scope)).filter((r) => r.completed);
  const seen = new Set<string>();
  const out: { titleId: string; at: Date }[] = [];
  for (const r of rows) {
    if (seen.has(r.titleId)) continue;
    seen.add(r.titleId);
    out.push({ titleId: r.titleId, at: r.lastWatchedAt });
  }
  return out.slice(0, limit);
}
