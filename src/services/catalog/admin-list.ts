// The catalog as editors see it: every title (drafts too), filtered and paged; writes go through title-admin.
import { isObjectId } from "../../lib/validation.js";
import { Types } from "mongoose";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { NotFoundError } from "../../lib/errors.js";
import { MAX_PREFIX, words } from "../../lib/search-keys.js";
import { TITLE_KINDS, TITLE_STATUSES } from "../../models/title.js";

export interface CatalogQuery {
  q?: string;
  status?: (typeof TITLE_STATUSES)[number];
  kind?: (typeof TITLE_KINDS)[number];
  page: number;
  pageSize: number;
}

export async function listTitlesForAdmin(deps: Pick<Deps, "models">, q: CatalogQuery) {
  const filter: Record<string, unknown> = {};
  // searchKeys holds normalized prefixes of every title word (no $text on FerretDB).
  const keys = q.q ? words(q.q).map((w) => w.slice(0, MAX_PREFIX)) : [];
  if (keys.length) filter.searchKeys = op({ $all: keys });
  if (q.status) filter.status = q.status;
  if (q.kind) filter.kind = q.kind;
  const [items, total] = await Promise.all([
    deps.models.Title.find(filter, { title: 1, slug: 1, kind: 1, year: 1, status: 1, maturity: 1, genres: 1, updatedAt: 1, releaseAt: 1, "source.tmdbId": 1 })
      .sort({ updatedAt: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    deps.models.Title.countDocuments(filter),
  ]);
  return { items, total, page: q.page, pages: Math.max(1, Math.ceil(total / q.pageSize)) };
}

export async function getTitleForEdit(deps: Pick<Deps, "models">, id: string) {
  if (!Types.ObjectId.isValid(id)) throw new NotFoundError("catalog.titleNotFound");
  const title = await deps.models.Title.findById(id).lean();
  if (!title) throw new NotFoundError("catalog.titleNotFound");
  return title;
}

/** A title by id or slug, drafts included (CLI arguments accept either). */
export async function getTitleByRef(deps: Pick<Deps, "models">, ref: string) {
  const trimmed = ref.trim();
  if (isObjectId(trimmed)) return getTitleForEdit(deps, trimmed);
  const title = await deps.models.Title.findOne({ slug: trimmed.toLowerCase() }).lean();
  if (!title) throw new NotFoundError("catalog.titleNotFound");
  return title;
}

export async function titleRow(deps: Pick<Deps, "models">, id: string) {
  const row = await deps.models.Title.findById(id, {
    title: 1,
    slug: 1,
    kind: 1,
    year: 1,
    status: 1,
    maturity: 1,
    genres: 1,
    updatedAt: 1,
    releaseAt: 1,
    "source.tmdbId": 1,
  }).lean();
  if (!row) throw new NotFoundError("catalog.titleNotFound");
  return row;
}
