// /admin/catalog: the catalog CMS on the catalog services: list, create, edit, publish/unpublish, TMDB import.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { flashAndRedirect } from "../../lib/respond.js";
import type { Deps } from "../../deps.js";
import { AppError, ValidationError } from "../../lib/errors.js";
import { MATURITY_RATINGS } from "../../lib/maturity.js";
import { YOUTUBE_ID, isSafeMediaUrl } from "../../lib/media-urls.js";
import { csrfField, idParam, parseInput, parseParams, parseQuery } from "../../lib/validation.js";
import { render, wantsFragment } from "../../lib/views.js";
import { TITLE_KINDS, TITLE_STATUSES } from "../../services/catalog/index.js";
import { getTitleForEdit, listTitlesForAdmin, titleRow } from "../../services/catalog/index.js";
import { GENRES } from "../../services/catalog/index.js";
import { importByQuery, importFromTmdb } from "../../services/catalog/index.js";
import { createTitle, setTitleStatus, slugify, updateTitle, type TitleInput } from "../../services/catalog/index.js";
import { announceTitle, parseReleaseDate, releaseDay } from "../../services/catalog/index.js";
import { adminActor } from "./respond.js";
import { listMediaJobs } from "../../services/catalog/index.js";
import { assetUrls } from "../../lib/static-assets.js";

const listQuery = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(TITLE_STATUSES).or(z.literal("")).optional(),
  kind: z.enum(TITLE_KINDS).or(z.literal("")).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: "validation.invalid" })
    .optional()
    .transform((v) => (v ? v : null));
const optionalUrl = optionalText(500).refine((v) => v === null || isSafeMediaUrl(v), { error: "validation.url" });
const optionalInt = (min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) ctx.addIssue({ code: "custom", message: "validation.invalid" });
      return n;
    });
// A release day (YYYY-MM-DD, the date input's value); empty is none.
const releaseDateField = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const d = parseReleaseDate(v);
    if (!d) ctx.addIssue({ code: "custom", message: "validation.date" });
    return d;
  });
const titleForm = z.strictObject({
  ...csrfField,
  kind: z.enum(TITLE_KINDS),
  title: z.string({ error: "validation.required" }).trim().min(1, { error: "validation.required" }).max(200),
  slug: z
    .string()
    .trim()
    .max(120)
    .regex(/^([a-z0-9]+(-[a-z0-9]+)*)?$/, { error: "validation.invalid" })
    .optional(),
  originalTitle: optionalText(200),
  year: optionalInt(1870, 2100),
  runtimeMin: optionalInt(1, 1000),
  maturity: z.enum(MATURITY_RATINGS),
  genres: z
    .union([z.enum(GENRES), z.array(z.enum(GENRES)).max(8)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  overview: z.string().max(4000).optional().default(""),
  overviewVi: optionalText(4000),
  posterUrl: optionalUrl,
  backdropUrl: optionalUrl,
  youtubeKey: z
    .string()
    .trim()
    .refine((v) => v === "" || YOUTUBE_ID.test(v), { error: "validation.invalid" })
    .optional()
    .transform((v) => v || null),
  hlsUrl: optionalUrl,
  releaseAt: releaseDateField,
  publish: z.literal("on").optional(),
});
const announceForm = z.strictObject({ ...csrfField, releaseAt: releaseDateField });
const importForm = z.strictObject({
  ...csrfField,
  tmdbId: z
    .string()
    .trim()
    .regex(/^\d{0,9}$/, { error: "validation.invalid" })
    .optional(),
  kind: z.enum(["movie", "tv"]).default("movie"),
  query: z.string().trim().max(100).optional(),
  publish: z.literal("on").optional(),
});

type TitleFormValues = z.output<typeof titleForm>;

function toInput(v: TitleFormValues, slug: string): TitleInput {
  return {
    kind: v.kind,
    slug,
    title: v.title,
    originalTitle: v.originalTitle,
    overview: v.overview,
    overviewVi: v.overviewVi,
    genres: v.genres,
    year: v.year,
    runtimeMin: v.runtimeMin,
    maturity: v.maturity,
    posterUrl: v.posterUrl,
    backdropUrl: v.backdropUrl,
    trailer: v.youtubeKey ? { youtubeKey: v.youtubeKey, hlsUrl: null } : null,
    media: v.hlsUrl ? { hlsUrl: v.hlsUrl } : null,
    releaseAt: v.releaseAt,
  };
}

/** A release date set or changed here must be ahead: a date in the past announces nothing. */
function checkReleaseDate(deps: Deps, releaseAt: Date | null, current: Date | null = null) {
  if (!releaseAt || releaseAt.getTime() === current?.getTime()) return;
  if (releaseAt.getTime() <= deps.clock.now().getTime()) throw new ValidationError({ releaseAt: "catalog.releaseInPast" });
}

export function adminCatalogRoutes(deps: Deps): Router {
  const router = Router();
  const options = {
    kinds: TITLE_KINDS,
    maturities: MATURITY_RATINGS,
    genres: GENRES,
    tmdbConfigured: Boolean(deps.config.tmdb.apiKey || deps.config.tmdb.readToken),
  };

  const renderForm = (res: Response, data: Record<string, unknown>, status = 200) =>
    render(res, "admin/title-form", { ...options, fieldErrors: {}, ...data }, status);
  const formValues = (req: Request) => ({
    ...(req.body as Record<string, unknown>),
    genres: ([] as unknown[]).concat((req.body as { genres?: unknown }).genres ?? []),
  });

  router.get("/catalog", async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    const result = await listTitlesForAdmin(deps, {
      q: q.q || undefined,
      status: q.status || undefined,
      kind: q.kind || undefined,
      page: q.page,
      pageSize: 30,
    });
    const qs = new URLSearchParams(Object.entries({ q: q.q ?? "", status: q.status ?? "", kind: q.kind ?? "" }).filter(([, v]) => v)).toString();
    render(res, "admin/catalog", { ...options, q, result, qs });
  });

  // Before /catalog/:id, which would otherwise take "import" for an id.
  router.post("/catalog/import", async (req, res) => {
    const v = parseInput(importForm, req.body);
    const publish = v.publish === "on";
    const by = { actor: adminActor(req), ip: req.ip };
    try {
      const results = v.tmdbId
        ? [await importFromTmdb(deps, { tmdbId: Number(v.tmdbId), kind: v.kind }, { publish, by })]
        : v.query
          ? await importByQuery(deps, v.query, { limit: 5, publish, by })
          : [];
      if (results.length === 0) return await flashAndRedirect(req, res, "/admin/catalog", "admin.catalog.importNothing");
      await flashAndRedirect(req, res, "/admin/catalog", "admin.catalog.imported", { n: String(results.length) });
    } catch (err) {
      if (!(err instanceof AppError) || err.status < 400 || err.status === 403) throw err;
      await flashAndRedirect(req, res, "/admin/catalog", err.messageKey, undefined, "error");
    }
  });

  router.get("/catalog/new", (_req, res) => renderForm(res, { title: null, values: { kind: "movie", maturity: "PG-13", genres: [] } }));

  router.post("/catalog", async (req, res) => {
    try {
      const v = parseInput(titleForm, req.body);
      checkReleaseDate(deps, v.releaseAt);
      const by = { actor: adminActor(req), ip: req.ip };
      const doc = await createTitle(deps, toInput(v, v.slug || slugify(v.title, v.year)), { publish: v.publish === "on", by });
      await flashAndRedirect(req, res, `/admin/catalog/${String(doc._id)}`, "admin.catalog.created");
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof AppError && err.status === 409)) throw err;
      const fieldErrors = err instanceof ValidationError ? err.fields : { slug: err.messageKey };
      renderForm(res, { title: null, values: formValues(req), fieldErrors }, err.status);
    }
  });

  router.get("/catalog/:id", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "catalog.titleNotFound");
    const t = await getTitleForEdit(deps, id);
    const values = { ...t, youtubeKey: t.trailer?.youtubeKey ?? "", hlsUrl: t.media?.hlsUrl ?? "", releaseAt: releaseDay(t.releaseAt) };
    renderForm(res, { title: t, values, jobs: await listMediaJobs(deps, { slug: t.slug }), jobsSlug: t.slug, tusJs: assetUrls.tus });
  });

  router.post("/catalog/:id", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "catalog.titleNotFound");
    const t = await getTitleForEdit(deps, id);
    try {
      const v = parseInput(titleForm, req.body);
      checkReleaseDate(deps, v.releaseAt, t.releaseAt ?? null);
      const { slug: _slug, ...patch } = toInput(v, t.slug);
      // The seek-preview track belongs to the transcoded stream: it stays while the stream does.
      if (patch.media && patch.media.hlsUrl === t.media?.hlsUrl) patch.media.thumbnailsUrl = t.media?.thumbnailsUrl ?? null;
      await updateTitle(deps, id, patch, { actor: adminActor(req), ip: req.ip });
      await flashAndRedirect(req, res, `/admin/catalog/${id}`, "admin.catalog.saved");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderForm(res, { title: t, values: formValues(req), fieldErrors: err.fields }, 422);
    }
  });

  for (const [status, action] of [
    ["published", "publish"],
    ["draft", "unpublish"],
  ] as const) {
    router.post(`/catalog/:id/${action}`, async (req, res) => {
      const { id } = parseParams(idParam, req.params, "catalog.titleNotFound");
      parseInput(z.strictObject({ ...csrfField }), req.body);
      await setTitleStatus(deps, id, status, { actor: adminActor(req), ip: req.ip });
      if (wantsFragment(req, res, `title-${id}`)) return render(res, "admin/_title-row", { row: await titleRow(deps, id) });
      await flashAndRedirect(req, res, "/admin/catalog", `admin.catalog.${action}ed`);
    });
  }

  // Coming soon: the title shows on New & Popular with this date, and is released on it.
  router.post("/catalog/:id/announce", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "catalog.titleNotFound");
    const v = parseInput(announceForm, req.body);
    if (!v.releaseAt) throw new ValidationError({ releaseAt: "validation.required" });
    try {
      await announceTitle(deps, id, v.releaseAt, { actor: adminActor(req), ip: req.ip });
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 409 && err.status !== 422)) throw err;
      return flashAndRedirect(req, res, `/admin/catalog/${id}`, err.messageKey, undefined, "error");
    }
    await flashAndRedirect(req, res, `/admin/catalog/${id}`, "admin.catalog.announced");
  });

  return router;
}
