// Ingest -> queue -> transcode -> switch -> purge. An upload is checked by ffprobe, kept in the media
// folder's .incoming/ and queued; a worker (BullMQ, on the app's Redis) transcodes it into an
// immutable version folder library/<slug>/<version>/, switches the title or episode to it, and a
// later job deletes the versions nothing points at any more.
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Deps } from "../../../deps.js";
import { NotFoundError } from "../../../lib/errors.js";
import { recordAudit, SYSTEM, type Acting } from "../../ops/index.js";
import { invalidateCatalogCache } from "../titles.js";
import { probeMedia, type ProbeResult } from "./probe.js";
import { transcode } from "./transcode.js";

export interface TranscodeData {
  titleId: string;
  slug: string;
  season: number | null;
  episode: number | null;
  version: string;
  /** The queued source, relative to the media folder (.incoming/<version>.src). */
  source: string;
  originalName: string;
  durationSec: number;
}

export interface PurgeData {
  slug: string;
}

export interface IngestTarget {
  slug: string;
  season?: number | null;
  episode?: number | null;
}

/** A new version id: sortable by time, unique across workers. */
function newVersion(now: Date): string {
  return `v${now.getTime().toString(36)}${randomBytes(3).toString("hex")}`;
}

async function findTarget(deps: Pick<Deps, "models">, target: IngestTarget) {
  const title = await deps.models.Title.findOne({ slug: target.slug }).select("kind slug seasons.number seasons.episodes.number").lean();
  if (!title) throw new NotFoundError("catalog.titleNotFound");
  const wantsEpisode = target.season != null || target.episode != null;
  if (title.kind === "series") {
    if (target.season == null || target.episode == null) throw new NotFoundError("media.episodeNeeded");
    const ok = title.seasons.some((s) => s.number === target.season && s.episodes.some((e) => e.number === target.episode));
    if (!ok) throw new NotFoundError("watch.episodeNotFound");
  } else if (wantsEpisode) {
    throw new NotFoundError("media.filmHasNoEpisodes");
  }
  return { titleId: String(title._id), slug: title.slug, season: title.kind === "series" ? target.season! : null, episode: title.kind === "series" ? target.episode! : null };
}

/**
 * Checks `file` (ffprobe: a video, within the limits) and the target, then queues its transcode.
 * Nothing is stored unless every check passes. `move` takes the file (an upload's temporary file);
 * otherwise it is copied (a file an operator named on the command line).
 */
export async function ingestMedia(
  deps: Deps,
  file: string,
  target: IngestTarget,
  opts: { move?: boolean; originalName?: string; by?: Acting } = {},
): Promise<{ jobId: string; version: string; probe: ProbeResult }> {
  const where = await findTarget(deps, target);
  const probe = await probeMedia(file, deps.config.media);
  const version = newVersion(deps.clock.now());
  const source = path.join(".incoming", `${version}.src`);
  const abs = path.join(deps.media.root, source);
  await mkdir(path.dirname(abs), { recursive: true });
  if (opts.move) await rename(file, abs).catch(() => copyFile(file, abs).then(() => rm(file, { force: true })));
  else await copyFile(file, abs);
  const data: TranscodeData = { ...where, version, source, originalName: (opts.originalName ?? path.basename(file)).slice(0, 200), durationSec: probe.durationSec };
  await deps.media.queue.queue().add("transcode", data, {
    jobId: version,
    attempts: deps.config.media.attempts,
    backoff: { type: "exponential", delay: 5000 },
    removeOnComplete: { count: 200 },
    removeOnFail: { count: 200 },
  });
  await recordAudit(deps, { ...(opts.by ?? SYSTEM), action: "media.ingest", target: `title:${where.titleId}`, details: { slug: where.slug, version, season: where.season, episode: where.episode } });
  return { jobId: version, version, probe };
}

const libraryKey = (slug: string, version?: string) => (version ? `library/${slug}/${version}` : `library/${slug}`);

/** Points the film or the episode at a finished version. */
async function switchToVersion(deps: Deps, data: TranscodeData): Promise<void> {
  const doc = await deps.models.Title.findById(data.titleId);
  if (!doc) throw new UnrecoverableError("the title was deleted");
  const hlsUrl = deps.media.storage.url(`${libraryKey(data.slug, data.version)}/master.m3u8`);
  const thumbnailsUrl = deps.media.storage.url(`${libraryKey(data.slug, data.version)}/thumbnails.vtt`);
  if (data.season === null) {
    doc.set("media", { hlsUrl, thumbnailsUrl });
  } else {
    const ep = doc.seasons.find((s) => s.number === data.season)?.episodes.find((e) => e.number === data.episode);
    if (!ep) throw new UnrecoverableError("the episode was deleted");
    ep.hlsUrl = hlsUrl;
    ep.thumbnailsUrl = thumbnailsUrl;
    doc.markModified("seasons");
  }
  await doc.save();
  await invalidateCatalogCache(deps);
  await recordAudit(deps, { ...SYSTEM, action: "media.publish", target: `title:${data.titleId}`, details: { slug: data.slug, version: data.version, season: data.season, episode: data.episode } });
}

async function runTranscode(deps: Deps, job: Job<TranscodeData>): Promise<{ version: string; renditions: string[] }> {
  const data = job.data;
  const source = path.join(deps.media.root, data.source);
  // A previous attempt (a worker that died) may have left a half-made folder, and its ffmpeg may
  // still be writing to it: each attempt works in a folder of its own, and clears the others.
  const workRoot = path.join(deps.media.root, ".work");
  await mkdir(workRoot, { recursive: true });
  for (const old of await readdir(workRoot)) if (old.startsWith(`${data.version}-`)) await rm(path.join(workRoot, old), { recursive: true, force: true });
  const work = path.join(workRoot, `${data.version}-${randomBytes(4).toString("hex")}`);
  let probe: ProbeResult;
  try {
    probe = await probeMedia(source, deps.config.media);
  } catch (err) {
    throw new UnrecoverableError(`the source cannot be read: ${(err as Error).message}`);
  }
  let last = 0;
  const out = await transcode(source, work, probe, {
    preset: deps.config.media.x264Preset,
    segmentSec: deps.config.media.segmentSec,
    onProgress: (f) => {
      const pct = Math.floor(f * 95);
      if (pct > last) {
        last = pct;
        void job.updateProgress(pct).catch(() => undefined);
      }
    },
  });
  await deps.media.storage.putDir(work, libraryKey(data.slug, data.version));
  await switchToVersion(deps, data);
  await job.updateProgress(100);
  await rm(work, { recursive: true, force: true });
  await rm(source, { force: true });
  await deps.media.queue
    .queue()
    .add("purge", { slug: data.slug } satisfies PurgeData, { delay: deps.config.media.purgeDelayMs, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } });
  return { version: data.version, renditions: out.renditions };
}

/** The versions of a title that its film or episodes point at. */
async function versionsInUse(deps: Pick<Deps, "models">, slug: string): Promise<Set<string>> {
  const doc = await deps.models.Title.findOne({ slug }).select("media seasons.episodes.hlsUrl").lean();
  const urls = [doc?.media?.hlsUrl, ...(doc?.seasons ?? []).flatMap((s) => s.episodes.map((e) => e.hlsUrl))];
  const used = new Set<string>();
  const re = new RegExp(`/library/${slug}/([^/]+)/`);
  for (const u of urls) {
    const m = u ? re.exec(u) : null;
    if (m) used.add(m[1]!);
  }
  return used;
}

/** Deletes a title's versions nothing points at and no transcode is still making. */
export async function purgeOldVersions(deps: Deps, slug: string): Promise<string[]> {
  const used = await versionsInUse(deps, slug);
  const removed: string[] = [];
  for (const version of await deps.media.storage.list(libraryKey(slug))) {
    // Only version folders: subtitles (subs/) live beside them and outlast every version.
    if (used.has(version) || !/^v[0-9a-z]+$/.test(version)) continue;
    const job = await deps.media.queue.queue().getJob(version);
    const state = job ? await job.getState() : "unknown";
    if (state === "active" || state === "waiting" || state === "delayed" || state === "prioritized" || state === "waiting-children") continue;
    await deps.media.storage.remove(libraryKey(slug, version));
    removed.push(version);
  }
  return removed;
}

/** The worker side: transcodes and purges with the configured concurrency. */
export function startMediaWorker(deps: Deps): Worker {
  const worker = new Worker(
    deps.media.queue.queue().name,
    async (job: Job) => {
      if (job.name === "transcode") return runTranscode(deps, job as Job<TranscodeData>);
      if (job.name === "purge") return { removed: await purgeOldVersions(deps, (job.data as PurgeData).slug) };
      throw new UnrecoverableError(`unknown job ${job.name}`);
    },
    {
      connection: deps.media.queue.connection(),
      prefix: deps.media.queue.prefix,
      concurrency: deps.config.media.concurrency,
      // A worker that stops renewing its lock (killed) loses the job to another after this long.
      lockDuration: deps.config.media.lockMs,
      stalledInterval: Math.max(500, Math.floor(deps.config.media.lockMs / 2)),
      maxStalledCount: 2,
    },
  );
  worker.on("failed", (job, err) => deps.logger.warn({ job: job?.id, name: job?.name, attempts: job?.attemptsMade, err: err.message }, "media job failed"));
  worker.on("completed", (job) => deps.logger.info({ job: job.id, name: job.name }, "media job completed"));
  worker.on("error", (err) => deps.logger.error({ err: err.message }, "media worker error"));
  return worker;
}

export interface MediaJobView {
  id: string;
  slug: string;
  season: number | null;
  episode: number | null;
  originalName: string;
  state: string;
  progress: number;
  attempts: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The latest transcodes, newest first (what the admin page and `media jobs` show). */
export async function listMediaJobs(deps: Deps, opts: { limit?: number; slug?: string } = {}): Promise<MediaJobView[]> {
  const jobs = await deps.media.queue.queue().getJobs(["active", "waiting", "delayed", "prioritized", "completed", "failed"], 0, 200);
  const views: MediaJobView[] = [];
  for (const job of jobs) {
    if (!job || job.name !== "transcode") continue;
    const data = job.data as TranscodeData;
    if (opts.slug && data.slug !== opts.slug) continue;
    const state = await job.getState();
    views.push({
      id: job.id!,
      slug: data.slug,
      season: data.season,
      episode: data.episode,
      originalName: data.originalName,
      state,
      progress: typeof job.progress === "number" ? job.progress : 0,
      attempts: job.attemptsMade,
      error: state === "failed" ? (job.failedReason ?? null) : null,
      createdAt: new Date(job.timestamp),
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    });
  }
  views.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return views.slice(0, opts.limit ?? 50);
}
