// Coming soon: titles announced ahead of their release date. They stay out of every row, search
// and page of watchable titles (those match status "published" only) until the release job flips
// them; meanwhile New & Popular lists them with their date, and their own page says when.
import { op } from "../../lib/db.js";
import { withLock } from "../../lib/lock.js";
import type { Deps } from "../../deps.js";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors.js";
import { isAllowedFor, maturityFilter, type Viewer } from "../../lib/maturity.js";
import { recordAudit, SYSTEM, type Acting } from "../ops/index.js";
import { CARD_FIELDS, invalidateCatalogCache, toCard, type TitleCard } from "./titles.js";
import type { Title } from "../../models/title.js";

type WriteDeps = Pick<Deps, "models" | "redis" | "logger" | "clock" | "config" | "cache">;

export const COMING_SOON_LIMIT = 20;

export interface ComingSoonCard extends TitleCard {
  /** ISO time the title becomes watchable. */
  releaseAt: string;
  overview: string;
  overviewVi: string | null;
}

// Release days are calendar days where the service runs (dates are shown in the same zone).
const RELEASE_DAY_OFFSET = "+07:00";

/**
 * A release date from an admin form or the CLI: "YYYY-MM-DD" (midnight that day, local time) or a
 * full ISO time. Anything else, or a year out of 2000..2100, is null.
 */
export function parseReleaseDate(text: string): Date | null {
  const v = text.trim();
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const iso = dayOnly ? `${v}T00:00:00${RELEASE_DAY_OFFSET}` : v;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  // "2026-02-31" would otherwise become 3 March: a day that does not exist is refused, not moved.
  if (dayOnly && releaseDay(d) !== v) return null;
  const year = d.getUTCFullYear();
  return year >= 2000 && year <= 2100 ? d : null;
}

/** The release day as "YYYY-MM-DD" in the service's zone (what the admin form shows). */
export function releaseDay(d: Date | null | undefined): string {
  if (!d) return "";
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

type TitleLike = Title & { _id: unknown };

const toComingSoon = (d: TitleLike): ComingSoonCard => ({
  ...toCard(d),
  releaseAt: (d.releaseAt ?? new Date(0)).toISOString(),
  overview: d.overview ?? "",
  overviewVi: d.overviewVi ?? null,
});

/** Announced titles the viewer may see, soonest first. */
export async function listComingSoon(deps: Pick<Deps, "models">, viewer: Viewer | undefined): Promise<ComingSoonCard[]> {
  const docs = await deps.models.Title.find({ status: "announced", ...maturityFilter(viewer) })
    .sort({ releaseAt: 1, _id: 1 })
    .limit(COMING_SOON_LIMIT)
    .select(`${CARD_FIELDS} releaseAt overview overviewVi`)
    .lean();
  return docs.map((d) => toComingSoon(d as TitleLike));
}

/** One announced title by slug (or id) for this viewer, or null (not announced, or over the ceiling). */
export async function getComingSoon(
  deps: Pick<Deps, "models">,
  viewer: Viewer | undefined,
  ref: { slug?: string; id?: string },
): Promise<ComingSoonCard | null> {
  const filter = ref.id ? { _id: ref.id } : { slug: ref.slug };
  const doc = await deps.models.Title.findOne({ ...filter, status: "announced" })
    .select(`${CARD_FIELDS} releaseAt overview overviewVi`)
    .lean();
  if (!doc || !isAllowedFor(viewer, doc.maturity)) return null;
  return toComingSoon(doc);
}

/**
 * Announces a draft (or moves an announced title's date): it shows in Coming soon until
 * `releaseAt`. The date must be in the future; a title already watchable cannot be announced.
 */
export async function announceTitle(deps: WriteDeps, id: string, releaseAt: Date, by: Acting = SYSTEM): Promise<{ changed: boolean }> {
  if (releaseAt.getTime() <= deps.clock.now().getTime()) throw new ValidationError({ releaseAt: "catalog.releaseInPast" }, "catalog.releaseInPast");
  const doc = await deps.models.Title.findById(id).select("status releaseAt slug").lean();
  if (!doc) throw new NotFoundError("catalog.titleNotFound");
  if (doc.status === "published") throw new ConflictError("catalog.alreadyReleased");
  if (doc.status === "announced" && doc.releaseAt?.getTime() === releaseAt.getTime()) return { changed: false };
  const res = await deps.models.Title.updateOne(
    { _id: id, status: op({ $in: ["draft", "announced"] }) },
    { $set: { status: "announced", releaseAt, publishedAt: null } },
  );
  if (res.matchedCount === 0) throw new ConflictError("catalog.alreadyReleased");
  await invalidateCatalogCache(deps);
  await recordAudit(deps, { ...by, action: "title.announce", target: `title:${id}`, details: { slug: doc.slug, releaseAt: releaseAt.toISOString() } });
  return { changed: true };
}

export interface ReleasedTitle {
  id: string;
  slug: string;
  title: string;
}

/**
 * Makes every announced title whose day has come watchable. Each flip is a conditional update
 * under a per-title lock, so two workers running this at once release (and report) each title
 * once between them.
 */
export async function releaseDueTitles(deps: WriteDeps): Promise<ReleasedTitle[]> {
  const now = deps.clock.now();
  const due = await deps.models.Title.find({ status: "announced", releaseAt: op({ $lte: now }) })
    .select("slug title")
    .lean();
  const released: ReleasedTitle[] = [];
  for (const t of due) {
    // Serialized per title: FerretDB does not make the conditional update alone atomic.
    const res = await withLock(deps.redis, `title-release:${String(t._id)}`, () =>
      deps.models.Title.updateOne({ _id: t._id, status: "announced" }, { $set: { status: "published", publishedAt: now } }),
    );
    if (res.modifiedCount === 1) released.push({ id: String(t._id), slug: t.slug, title: t.title });
  }
  if (released.length) {
    await invalidateCatalogCache(deps);
    for (const t of released) await recordAudit(deps, { ...SYSTEM, action: "title.release", target: `title:${t.id}`, details: { slug: t.slug } });
  }
  return released;
}

/** Titles released (from an announcement) since `since`: the reminder sweep's candidates. */
export async function listReleasedSince(deps: Pick<Deps, "models">, since: Date): Promise<ReleasedTitle[]> {
  const docs = await deps.models.Title.find({ status: "published", releaseAt: op({ $gte: since }) })
    .select("slug title")
    .lean();
  return docs.map((d) => ({ id: String(d._id), slug: d.slug, title: d.title }));
}
