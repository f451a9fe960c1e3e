// The realistic benchmark dataset, built by the bench itself: a catalog grown from the demo titles
// to thousands (films and series with seasons of episodes, genres, play counts), accounts with
// 1-3 profiles each carrying a watch history, My List, ratings and unread notifications, and
// signed-in sessions written straight to Redis the way express-session stores them. Everything is
// inserted in bulk (insertMany through the models), so tens of thousands of documents take seconds.
import { createHmac, randomBytes } from "node:crypto";
import { Types } from "mongoose";
import type { Deps } from "../src/deps.js";
import { buildSearchKeys } from "../src/lib/search-keys.js";
import { GENRES } from "../src/services/catalog/genres.js";
import { invalidateCatalogCache, lastDays } from "../src/services/catalog/index.js";
import { SESSION_PREFIX } from "../src/services/accounts/index.js";
import { progressRowId } from "../src/services/watching/index.js";

/** A deterministic generator, so two runs build the same dataset. */
export function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  /** `n` distinct items (or all of them when there are fewer). */
  const sample = <T>(items: readonly T[], n: number): T[] => {
    const copy = [...items];
    for (let i = 0; i < Math.min(n, copy.length); i++) {
      const j = i + Math.floor(next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  };
  return { next, int, pick, sample };
}

const WORDS = "night river house shadow city winter garden letter silent iron stranger harbor empire frontier glass crown storm orchard lantern ghost".split(
  " ",
);
const MOVIE_MATURITY = ["G", "PG", "PG-13", "R"] as const;
const TV_MATURITY = ["TV-G", "TV-PG", "TV-14", "TV-MA"] as const;

/** One catalog title as the bench knows it: enough to write progress rows against it. */
export interface BenchTitle {
  id: string;
  slug: string;
  kind: "movie" | "series";
  /** Episode keys in order ("main" for a film). */
  episodes: { key: string; durationSec: number }[];
}

type TitleFacts = {
  _id: Types.ObjectId;
  slug: string;
  kind: "movie" | "series";
  runtimeMin?: number | null;
  seasons?: { number: number; episodes: { number: number; runtimeMin?: number | null }[] }[];
};

function benchTitle(t: TitleFacts): BenchTitle {
  const episodes =
    t.kind === "movie"
      ? [{ key: "main", durationSec: (t.runtimeMin ?? 90) * 60 }]
      : (t.seasons ?? []).flatMap((s) => s.episodes.map((e) => ({ key: `s${s.number}e${e.number}`, durationSec: (e.runtimeMin ?? 30) * 60 })));
  return { id: String(t._id), slug: t.slug, kind: t.kind, episodes };
}

/** The published catalog, as the bench writes history against it. */
export async function catalogTitles(deps: Pick<Deps, "models">): Promise<BenchTitle[]> {
  const docs = await deps.models.Title.find({ status: "published" })
    .select("slug kind runtimeMin seasons.number seasons.episodes.number seasons.episodes.runtimeMin")
    .lean();
  return docs.map((d) => benchTitle(d as TitleFacts)).filter((t) => t.episodes.length > 0);
}

// Small enough that one insert stays well inside the driver's 10 s socket timeout on a busy machine.
const BATCH = 100;
async function insertInBatches<T>(docs: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const batch = docs.slice(i, i + BATCH);
    try {
      await insert(batch);
    } catch (err) {
      // A timed-out batch may have landed in part: insert it again, keeping the rows that exist.
      if (!/timed out/.test(String((err as Error).message))) throw err;
      await insert(batch).catch((again: unknown) => {
        if ((again as { code?: number }).code !== 11000) throw again;
      });
    }
  }
}

/**
 * Grows the published catalog to `total` titles with generated films and series (a third are
 * series of 1-4 seasons of 6-10 episodes), then counts plays for the last week so Top 10 and
 * Trending have data. Returns the catalog's size.
 */
export async function growCatalog(deps: Pick<Deps, "models" | "redis" | "logger" | "config" | "cache">, total: number, seed = 1): Promise<number> {
  const have = await deps.models.Title.countDocuments({});
  const rnd = random(seed + have);
  const now = new Date();
  const docs = [];
  for (let i = have; i < total; i++) {
    const kind = rnd.next() < 0.33 ? "series" : "movie";
    const title = `${rnd.pick(WORDS)} ${rnd.pick(WORDS)} ${i}`.replace(/^./, (c) => c.toUpperCase());
    const seasons =
      kind === "series"
        ? Array.from({ length: rnd.int(1, 4) }, (_, s) => ({
            number: s + 1,
            title: `Season ${s + 1}`,
            year: 2000 + s,
            episodes: Array.from({ length: rnd.int(6, 10) }, (_, e) => ({
              number: e + 1,
              title: `Chapter ${e + 1}`,
              overview: "",
              runtimeMin: rnd.int(22, 55),
            })),
          }))
        : [];
    docs.push({
      kind,
      slug: `bench-${i}`,
      title,
      overview: `A generated ${kind} about a ${rnd.pick(WORDS)} and a ${rnd.pick(WORDS)}.`,
      genres: rnd.sample(GENRES, rnd.int(1, 3)),
      year: rnd.int(1920, 2025),
      runtimeMin: kind === "movie" ? rnd.int(70, 160) : null,
      maturity: kind === "movie" ? rnd.pick(MOVIE_MATURITY) : rnd.pick(TV_MATURITY),
      popularity: Math.round(rnd.next() * 1000) / 10,
      posterUrl: null,
      backdropUrl: null,
      seasons,
      status: "published",
      publishedAt: now,
      searchKeys: buildSearchKeys(title),
    });
  }
  await insertInBatches(docs, (batch) => deps.models.Title.insertMany(batch, { lean: true, ordered: false }));
  await recordPlays(deps, rnd, now);
  await invalidateCatalogCache(deps);
  return deps.models.Title.countDocuments({});
}

/** Play counts for the last 7 days on a random fifth of the catalog (replacing earlier counts). */
async function recordPlays(deps: Pick<Deps, "models">, rnd: ReturnType<typeof random>, now: Date): Promise<void> {
  const ids = (await deps.models.Title.find({ status: "published" }).select("_id").lean()).map((d) => d._id);
  const played = rnd.sample(ids, Math.max(20, Math.floor(ids.length / 5)));
  await deps.models.TitleStat.deleteMany({});
  const stats = lastDays(now, 7).flatMap((day) => played.map((titleId) => ({ titleId, day, plays: rnd.int(1, 500) })));
  await insertInBatches(stats, (batch) => deps.models.TitleStat.insertMany(batch, { lean: true, ordered: false }));
}

export interface BenchProfile {
  userId: string;
  profileId: string;
}

/** Progress rows for one profile: films and series episodes, a few finished, newest `at` first. */
function historyRows(rnd: ReturnType<typeof random>, profileId: Types.ObjectId, titles: BenchTitle[], count: number, now: number) {
  const rows = [];
  let t = now;
  // A small catalog cannot give a long history one row per title: series then give every episode.
  const long = count > titles.length;
  for (const title of rnd.sample(titles, count)) {
    // A series contributes its first few episodes (the earlier ones finished), up to the count.
    const eps = title.kind === "series" ? title.episodes.slice(0, long ? undefined : rnd.int(1, 3)) : title.episodes;
    for (const [i, ep] of eps.entries()) {
      if (rows.length >= count) break;
      const finished = i < eps.length - 1 || rnd.next() < 0.25;
      t -= rnd.int(60_000, 6 * 3_600_000);
      rows.push({
        _id: progressRowId(String(profileId), title.id, ep.key),
        profileId,
        titleId: new Types.ObjectId(title.id),
        episodeKey: ep.key,
        positionSec: finished ? ep.durationSec : Math.floor(ep.durationSec * rnd.next() * 0.8),
        durationSec: ep.durationSec,
        completed: finished,
        lastWatchedAt: new Date(t),
        clientTs: t,
        hiddenFromRow: false,
      });
    }
    if (rows.length >= count) break;
  }
  return rows;
}

export interface HistoryShape {
  progress: number;
  myList: number;
  ratings: number;
  notifications: number;
}

export const REALISTIC: HistoryShape = { progress: 30, myList: 10, ratings: 10, notifications: 3 };

/**
 * `accounts` subscribers with 1-3 profiles each, every profile with the given history (10
 * ratings are 3 loves, 1 thumbs down, 6 thumbs up). Returns every profile created.
 */
export async function createSubscribers(
  deps: Pick<Deps, "models">,
  titles: BenchTitle[],
  opts: { accounts: number; profilesPerAccount?: [number, number]; history: HistoryShape; seed?: number; label?: string },
): Promise<BenchProfile[]> {
  const rnd = random(opts.seed ?? 7);
  const [minProfiles, maxProfiles] = opts.profilesPerAccount ?? [1, 3];
  const now = Date.now();
  const label = opts.label ?? "subscriber";
  const users = [];
  const profiles = [];
  const progress = [];
  const list = [];
  const ratings = [];
  const notifications = [];
  const out: BenchProfile[] = [];
  const periodEnd = new Date(now + 30 * 86_400_000);
  for (let a = 0; a < opts.accounts; a++) {
    const userId = new Types.ObjectId();
    users.push({
      _id: userId,
      email: `${label}.${a}.${userId.toHexString().slice(-6)}@example.com`,
      // Sessions are written directly, so nobody signs in with a password here.
      passwordHash: "bench-no-password",
      displayName: `Subscriber ${a}`,
      subscription: { plan: "standard", status: "active", currentPeriodEnd: periodEnd, activatedAt: new Date(now - 86_400_000) },
    });
    for (let n = 0; n < opts.history.notifications; n++)
      notifications.push({ userId, type: "bench", title: "notifications.welcome.title", body: "", dedupeKey: `bench:${userId.toHexString()}:${n}` });
    for (let slot = 0; slot < rnd.int(minProfiles, maxProfiles); slot++) {
      const profileId = new Types.ObjectId();
      profiles.push({ _id: profileId, userId, slot, name: `Viewer ${slot + 1}`, avatar: "blue" });
      out.push({ userId: userId.toHexString(), profileId: profileId.toHexString() });
      progress.push(...historyRows(rnd, profileId, titles, opts.history.progress, now));
      for (const [i, t] of rnd.sample(titles, opts.history.myList).entries())
        list.push({ profileId, titleId: new Types.ObjectId(t.id), addedAt: new Date(now - i * 3_600_000) });
      for (const [i, t] of rnd.sample(titles, opts.history.ratings).entries())
        ratings.push({ profileId, titleId: new Types.ObjectId(t.id), value: i < 3 ? 2 : i === 3 ? -1 : 1, ratedAt: new Date(now - i * 7_200_000) });
    }
  }
  const { User, Profile, WatchProgress, ListEntry, Rating, Notification } = deps.models;
  // Not lean: these models report their writes to the state caches, and the report reads documents.
  await insertInBatches(users, (b) => User.insertMany(b, { ordered: false }));
  await insertInBatches(profiles, (b) => Profile.insertMany(b, { ordered: false }));
  await insertInBatches(progress, (b) => WatchProgress.insertMany(b, { ordered: false }));
  await insertInBatches(list, (b) => ListEntry.insertMany(b, { ordered: false }));
  await insertInBatches(ratings, (b) => Rating.insertMany(b, { ordered: false }));
  await insertInBatches(notifications, (b) => Notification.insertMany(b, { ordered: false }));
  return out;
}

/**
 * A signed-in session for each profile, stored the way express-session and connect-redis store
 * one (JSON under `sess:<id>`, indexed per user) with the cookie signed like the app signs it.
 * Returns the cookie headers.
 */
export async function createSessions(deps: Pick<Deps, "redis" | "config">, profiles: BenchProfile[]): Promise<string[]> {
  const { idleMs, secret } = deps.config.session;
  const now = Date.now();
  const pipeline = deps.redis.pipeline();
  const cookies = profiles.map((p) => {
    const sid = randomBytes(24).toString("base64url");
    const session = {
      cookie: { originalMaxAge: idleMs, expires: new Date(now + idleMs).toISOString(), secure: false, httpOnly: true, path: "/", sameSite: "lax" },
      auth: { userId: p.userId, createdAt: now, lastSeenAt: now, userAgent: "bench" },
      profileId: p.profileId,
    };
    pipeline.set(SESSION_PREFIX + sid, JSON.stringify(session), "EX", Math.ceil(idleMs / 1000));
    pipeline.sadd(`user-sessions:${p.userId}`, sid);
    // cookie-signature's format, as express-session writes it: s:<id>.<base64 HMAC-SHA256 without padding>.
    const signature = createHmac("sha256", secret).update(sid).digest("base64").replace(/=+$/, "");
    return `sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
  });
  await pipeline.exec();
  return cookies;
}
