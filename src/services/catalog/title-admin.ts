// Writing titles: create, update, publish/unpublish, upsert by slug (seed and imports). Every write
// recomputes search keys and invalidates the catalog cache, so readers never see stale rows.
import { z } from "zod";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { ConflictError, NotFoundError } from "../../lib/errors.js";
import { MATURITY_RATINGS } from "../../lib/maturity.js";
import { YOUTUBE_ID, isSafeMediaUrl } from "../../lib/media-urls.js";
import { buildSearchKeys, foldText } from "../../lib/search-keys.js";
import { TITLE_KINDS, TITLE_STATUSES, type TitleDoc } from "../../models/title.js";
import { recordAudit, SYSTEM, type Acting } from "../ops/index.js";
import { invalidateCatalogCache } from "./titles.js";
import { GENRES } from "./genres.js";

type WriteDeps = Pick<Deps, "models" | "redis" | "logger" | "clock" | "config" | "cache">;

// Images, streams and trailers: http(s) or a path on this site, whoever writes them (admin form,
// CLI, TMDB import, seed); the form checks the same rule first for a field message.
const mediaUrl = z.string().max(500).refine(isSafeMediaUrl, { error: "validation.url" }).nullable().default(null);

const episodeInput = z.strictObject({
  number: z.number().int().min(1).max(10_000),
  title: z.string().trim().min(1).max(200),
  overview: z.string().max(2000).default(""),
  runtimeMin: z.number().int().min(1).max(1000).nullable().default(null),
  hlsUrl: mediaUrl,
  thumbnailsUrl: mediaUrl,
  intro: z
    .strictObject({ startSec: z.number().min(0), endSec: z.number().min(0) })
    .nullable()
    .default(null),
});

export const titleInput = z.strictObject({
  kind: z.enum(TITLE_KINDS),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
  title: z.string().trim().min(1).max(200),
  originalTitle: z.string().trim().max(200).nullable().default(null),
  overview: z.string().max(4000).default(""),
  overviewVi: z.string().max(4000).nullable().default(null),
  genres: z.array(z.enum(GENRES)).max(8).default([]),
  year: z.number().int().min(1870).max(2100).nullable().default(null),
  runtimeMin: z.number().int().min(1).max(1000).nullable().default(null),
  maturity: z.enum(MATURITY_RATINGS),
  voteAverage: z.number().min(0).max(10).nullable().default(null),
  popularity: z.number().min(0).max(1e7).default(0),
  posterUrl: mediaUrl,
  backdropUrl: mediaUrl,
  trailer: z
    .strictObject({
      youtubeKey: z.string().regex(YOUTUBE_ID).nullable().default(null),
      hlsUrl: mediaUrl,
    })
    .nullable()
    .default(null),
  media: z.strictObject({ hlsUrl: mediaUrl, thumbnailsUrl: mediaUrl }).nullable().default(null),
  seasons: z
    .array(
      z.strictObject({
        number: z.number().int().min(0).max(200),
        title: z.string().max(200).nullable().default(null),
        year: z.number().int().nullable().default(null),
        episodes: z.array(episodeInput).max(500),
      }),
    )
    .max(100)
    .default([]),
  // When an announced title becomes watchable (see announceTitle); kept after release.
  releaseAt: z.coerce.date().min(new Date("2000-01-01T00:00:00Z")).max(new Date("2100-12-31T23:59:59Z")).nullable().default(null),
  source: z
    .strictObject({ tmdbId: z.number().int().positive().nullable().default(null), demo: z.boolean().default(false) })
    .default({ tmdbId: null, demo: false }),
});
export type TitleInput = z.input<typeof titleInput>;

/** A URL-safe slug from a title and year: "Đêm trăng" 1999 -> "dem-trang-1999". */
export function slugify(title: string, year?: number | null): string {
  const base =
    foldText(title)
      .replace(/[^a-z0-9 ]/g, "")
      .trim()
      .replace(/\s+/g, "-")
      .slice(0, 100) || "title";
  return year ? `${base}-${year}` : base;
}

function withKeys<T extends { title: string; originalTitle?: string | null }>(data: T) {
  return { ...data, searchKeys: buildSearchKeys(data.title, data.originalTitle) };
}

/**
 * Creates a title, a draft unless `publish`. Published with a release date still ahead, it is
 * announced instead: Coming soon until that date, then released by the release-titles job.
 */
export async function createTitle(deps: WriteDeps, input: TitleInput, opts: { publish?: boolean; by?: Acting } = {}): Promise<TitleDoc> {
  const data = titleInput.parse(input);
  const now = deps.clock.now();
  const by = opts.by ?? SYSTEM;
  const announce = Boolean(opts.publish && data.releaseAt && data.releaseAt > now);
  const status = !opts.publish ? "draft" : announce ? "announced" : "published";
  try {
    const doc = await deps.models.Title.create({ ...withKeys(data), status, publishedAt: status === "published" ? now : null });
    await invalidateCatalogCache(deps);
    await recordAudit(deps, { ...by, action: "title.create", target: `title:${String(doc._id)}`, details: { slug: doc.slug, publish: Boolean(opts.publish) } });
    return doc;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError("catalog.slugTaken");
    throw err;
  }
}

/** Changes some fields of a title; the slug stays (it is in shared links). */
export async function updateTitle(deps: WriteDeps, id: string, patch: Partial<z.input<typeof titleInput>>, by: Acting = SYSTEM): Promise<TitleDoc> {
  const doc = await deps.models.Title.findById(id);
  if (!doc) throw new NotFoundError("catalog.titleNotFound");
  const current = doc.toObject() as Record<string, unknown>;
  const merged = titleInput.parse({ ...pickInput(current), ...patch, slug: doc.slug });
  doc.set(withKeys(merged));
  await doc.save();
  await invalidateCatalogCache(deps);
  await recordAudit(deps, { ...by, action: "title.update", target: `title:${id}`, details: { slug: doc.slug } });
  return doc;
}

/**
 * Publishes (watchable now, also an announced title before its date) or unpublishes (back to
 * draft, from published or announced); a repeat changes nothing and records nothing. Announcing
 * takes a date: see announceTitle.
 */
export async function setTitleStatus(deps: WriteDeps, id: string, status: "draft" | "published", by: Acting = SYSTEM): Promise<{ changed: boolean }> {
  const set: Record<string, unknown> = { status };
  if (status === "published") set.publishedAt = deps.clock.now();
  const from: (typeof TITLE_STATUSES)[number][] = status === "published" ? ["draft", "announced"] : ["published", "announced"];
  const res = await deps.models.Title.updateOne({ _id: id, status: op({ $in: from }) }, { $set: set });
  if (res.matchedCount === 0 && !(await deps.models.Title.exists({ _id: id }))) throw new NotFoundError("catalog.titleNotFound");
  if (res.modifiedCount === 0) return { changed: false };
  await invalidateCatalogCache(deps);
  await recordAudit(deps, { ...by, action: status === "published" ? "title.publish" : "title.unpublish", target: `title:${id}` });
  return { changed: true };
}

/**
 * Inserts or refreshes a title by slug (seed, TMDB import). Facts are overwritten; the status of
 * an existing title is kept, so re-running an import never unpublishes or publishes by surprise.
 * Does not invalidate: callers invalidate once after a batch.
 */
export async function upsertTitleBySlug(
  deps: Pick<Deps, "models" | "clock">,
  input: TitleInput,
  status: (typeof TITLE_STATUSES)[number],
): Promise<{ created: boolean; id: string }> {
  const { releaseAt, ...data } = withKeys(titleInput.parse(input));
  const now = deps.clock.now();
  // An import without a date never clears one; a demo announcement keeps the date it was given first.
  const onInsert = releaseAt ? { releaseAt } : {};
  const res = await deps.models.Title.updateOne(
    { slug: data.slug },
    { $set: data, $setOnInsert: { status, publishedAt: status === "published" ? now : null, ...onInsert } },
    { upsert: true },
  );
  const id = res.upsertedId ? String(res.upsertedId) : String((await deps.models.Title.findOne({ slug: data.slug }).select("_id").lean())?._id);
  return { created: Boolean(res.upsertedId), id };
}

function pickInput(doc: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(titleInput.shape);
  const out: Record<string, unknown> = {};
  for (const k of keys) if (doc[k] !== undefined) out[k] = doc[k];
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}
