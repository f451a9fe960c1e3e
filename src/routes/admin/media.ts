// /admin/media: resumable uploads (tus protocol, @tus/server) that go through the same ffprobe
// checks and transcode queue as `netflix-admin media ingest`, and the transcode jobs with their
// progress (an htmx fragment the page polls).
import { AsyncLocalStorage } from "node:async_hooks";
import { rm } from "node:fs/promises";
import path from "node:path";
import { FileStore } from "@tus/file-store";
import { Server as TusServer } from "@tus/server";
import express, { Router } from "express";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { AppError, BadRequestError, ValidationError } from "../../lib/errors.js";
import type { Translate } from "../../lib/i18n.js";
import { csrfField, ids, parseInput, parseQuery } from "../../lib/validation.js";
import { flashAndRedirect } from "../../lib/respond.js";
import { render, wantsFragment } from "../../lib/views.js";
import { addSubtitle, getTitleByRef, ingestMedia, listMediaJobs, MAX_SUBTITLE_BYTES, setIntroMarkers } from "../../services/catalog/index.js";
import { adminActor } from "./respond.js";

export const UPLOAD_PATH = "/admin/media/uploads";

const jobsQuery = z.object({ slug: ids.slug.optional() }).loose();
const subtitleQuery = z.object({
  slug: ids.slug,
  lang: z.string().regex(/^[a-z]{2}$/),
  season: z.coerce.number().int().min(0).max(999).optional(),
  episode: z.coerce.number().int().min(1).max(9999).optional(),
});
const seconds = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 86_400) ctx.addIssue({ code: "custom", message: "validation.invalid" });
    return n;
  });
const introForm = z.strictObject({
  ...csrfField,
  slug: ids.slug,
  episode: z
    .string()
    .regex(/^\d{1,3}:\d{1,4}$/)
    .optional(),
  start: seconds,
  end: seconds,
});
const uploadMeta = z.object({
  slug: ids.slug,
  season: z.coerce.number().int().min(0).max(999).optional(),
  episode: z.coerce.number().int().min(1).max(9999).optional(),
  filename: z.string().max(300).optional(),
});

interface UploadContext {
  actor: string;
  ip: string | undefined;
  t: Translate;
}

export function adminMediaRoutes(deps: Deps): Router {
  const router = Router();
  const uploads = path.join(deps.media.root, ".uploads");
  // Who is uploading, for the hook that runs inside tus's request handling.
  const current = new AsyncLocalStorage<UploadContext>();
  const tus = new TusServer({
    path: UPLOAD_PATH,
    datastore: new FileStore({ directory: uploads }),
    maxSize: deps.config.media.maxUploadBytes,
    relativeLocation: true,
    async onUploadCreate(_req, upload) {
      const ctx = current.getStore()!;
      if (!uploadMeta.safeParse(upload.metadata ?? {}).success) throw { status_code: 400, body: ctx.t("errors.badRequest") };
      return {};
    },
    async onUploadFinish(_req, upload) {
      const ctx = current.getStore()!;
      const meta = uploadMeta.parse(upload.metadata ?? {});
      const file = path.join(uploads, upload.id);
      try {
        const { jobId } = await ingestMedia(
          deps,
          file,
          { slug: meta.slug, season: meta.season ?? null, episode: meta.episode ?? null },
          { move: true, originalName: meta.filename ?? upload.id, by: { actor: ctx.actor, ip: ctx.ip } },
        );
        await rm(`${file}.json`, { force: true });
        return { status_code: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ jobId }) };
      } catch (err) {
        // Refused: nothing of the upload is kept.
        await Promise.all([rm(file, { force: true }), rm(`${file}.json`, { force: true })]);
        if (err instanceof ValidationError) throw { status_code: 422, body: ctx.t(Object.values(err.fields)[0] ?? err.messageKey) };
        if (err instanceof AppError) throw { status_code: err.status, body: ctx.t(err.messageKey) };
        throw err;
      }
    },
  });

  router.all(["/media/uploads", "/media/uploads/{*id}"], (req, res) => {
    // A body the form parsers already read (not a tus request) would leave tus waiting forever.
    if ((req as { _body?: boolean })._body) throw new BadRequestError();
    // tus matches its own path against the full URL, not the admin router's remainder.
    req.url = req.originalUrl;
    // tus ends its responses with end(callback); express-session's end() takes its first argument
    // for a body chunk. Hand the callback to "finish" instead.
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      const done = args.find((a) => typeof a === "function") as (() => void) | undefined;
      if (done) res.once("finish", done);
      return end(...args.filter((a) => typeof a !== "function"));
    }) as typeof res.end;
    void current.run({ actor: adminActor(req), ip: req.ip, t: res.locals.t as Translate }, () => tus.handle(req, res));
  });

  // A subtitle file (SRT or WebVTT) as the request body; the target in the query.
  router.post("/media/subtitles", express.text({ type: () => true, limit: MAX_SUBTITLE_BYTES }), async (req, res) => {
    const q = parseQuery(subtitleQuery, req.query);
    if (typeof req.body !== "string") throw new BadRequestError();
    try {
      const track = await addSubtitle(deps, { slug: q.slug, season: q.season ?? null, episode: q.episode ?? null }, q.lang, req.body, {
        actor: adminActor(req),
        ip: req.ip,
      });
      res.json(track);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const t = res.locals.t as Translate;
      res.status(422).json({ error: t(Object.values(err.fields)[0] ?? err.messageKey), status: 422 });
    }
  });

  // Intro markers ("Skip intro"): seconds, for the film or the chosen episode; both empty clears them.
  router.post("/media/intro", async (req, res) => {
    const v = parseInput(introForm, req.body);
    const [season, episode] = v.episode ? v.episode.split(":").map(Number) : [null, null];
    const intro = v.start === undefined && v.end === undefined ? null : { startSec: v.start ?? 0, endSec: v.end ?? 0 };
    await setIntroMarkers(deps, { slug: v.slug, season, episode }, intro, { actor: adminActor(req), ip: req.ip });
    const doc = await getTitleByRef(deps, v.slug);
    await flashAndRedirect(req, res, `/admin/catalog/${String(doc._id)}`, "admin.media.introSaved");
  });

  router.get("/media", async (req, res) => {
    const { slug } = parseQuery(jobsQuery, req.query);
    const jobs = await listMediaJobs(deps, { slug });
    render(res, wantsFragment(req, res, "media-jobs") ? "admin/_media-jobs" : "admin/media", { jobs, jobsSlug: slug ?? null });
  });

  return router;
}
