// Title details: the dialog fragment and the full page at /title/:slug (same content), the season
// picker's episode list, and the generated poster/backdrop art.
import { keptPage } from "./middleware/kept-page.js";
import { titlesPageVersion } from "../services/watching/index.js";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { parseParams, parseQuery, slugParam } from "../lib/validation.js";
import { wantsFragment } from "../lib/views.js";
import { NotFoundError } from "../lib/errors.js";
import { dateHelpers } from "../lib/format-date.js";
import { getComingSoon, getTitleDetail, listMoreLikeThis } from "../services/catalog/index.js";
import { backdropSvg, getTitleArt, posterSvg, stillSvg } from "../services/catalog/index.js";
import { renderCatalog } from "./browse.js";
import { viewerOf } from "./middleware/profile-context.js";
import { remindedTitleIds, titleWatchState, type TitleWatchState } from "../services/watching/index.js";
import type { ProfileView } from "../services/accounts/index.js";

const titleQuery = z.object({ season: z.coerce.number().int().min(0).max(200).optional() });

export function titlesRouter(deps: Deps): Router {
  const router = Router();

  // The hover/focus preview of a row's card: a small fragment, loaded after a short delay.
  router.get("/title/:slug/preview", requireUser, async (req, res) => {
    const { slug } = parseSlug(req.params);
    const item = await getTitleDetail(deps, viewerOf(res), slug);
    // Only htmx asks for the fragment; an address typed or followed gets the title page.
    res.vary("HX-Request");
    if (req.get("HX-Request") !== "true") return res.redirect(303, `/title/${item.slug}`);
    res.set("Cache-Control", "private, max-age=60");
    renderCatalog(req, res, "titles/_preview", { item });
  });

  router.get("/title/:slug", requireUser, keptPage(deps, titlesPageVersion), async (req, res) => {
    const { slug } = parseSlug(req.params);
    const { season } = parseQuery(titleQuery, req.query);
    const viewer = viewerOf(res);
    const title = await getTitleDetail(deps, viewer, slug).catch(async (err: unknown) => {
      if (err instanceof NotFoundError && (await renderComingSoon(deps, req, res, slug))) return null;
      throw err;
    });
    if (!title) return;
    // Play continues where the profile is (Resume S1:E2 with the time left); episodes show theirs.
    const profile = res.locals.profile as ProfileView | undefined;
    const watch: TitleWatchState = profile ? await titleWatchState(deps, profile.id, title) : { resume: null, episodes: {} };
    const resumeSeason = watch.resume?.season;
    const current = title.seasons.find((s) => s.number === (season ?? resumeSeason)) ?? title.seasons[0] ?? null;
    for (const prefix of ["", "dialog-"]) {
      if (title.kind === "series" && wantsFragment(req, res, `${prefix}episodes`)) {
        return renderCatalog(req, res, "titles/_episodes", { item: title, season: current, prefix, watch });
      }
    }
    const more = await listMoreLikeThis(deps, viewer, title);
    if (wantsFragment(req, res, "title-dialog")) {
      return renderCatalog(req, res, "titles/_dialog", { item: title, season: current, more, prefix: "dialog-", inDialog: true, watch });
    }
    renderCatalog(req, res, "titles/show", { item: title, season: current, more, prefix: "", inDialog: false, watch });
  });

  return router;
}

/**
 * An announced title's page: its release date and "Remind me". /watch answers it with 403 (not out
 * yet), /title with 200. False when the slug is not an announced title this viewer may see.
 */
export async function renderComingSoon(deps: Deps, req: Request, res: Response, slug: string, blocked = false): Promise<boolean> {
  const item = await getComingSoon(deps, viewerOf(res), { slug });
  if (!item) return false;
  const profile = res.locals.profile as ProfileView | undefined;
  const reminded = profile ? (await remindedTitleIds(deps, profile.id, [item.id])).has(item.id) : false;
  res.set("Cache-Control", "no-store");
  renderCatalog(req, res, "titles/coming-soon", { item, reminded, blocked, ...dateHelpers(req.locale) }, blocked ? 403 : 200);
  return true;
}

const parseSlug = (params: unknown) => parseParams(slugParam, params, "catalog.titleNotFound");

/**
 * Generated art for titles without a remote image. Mounted before sessions: images are public
 * like a CDN's and must not cost a session lookup each; only published titles have art.
 */
export function titleArtRouter(deps: Deps): Router {
  const router = Router();
  const send = (draw: typeof posterSvg) => async (req: Request, res: Response) => {
    const { slug } = parseSlug(req.params);
    const source = await getTitleArt(deps, slug);
    res.set("Cache-Control", "public, max-age=86400");
    res.type("image/svg+xml").send(draw(source));
  };
  router.get("/art/:slug/poster.svg", send(posterSvg));
  router.get("/art/:slug/backdrop.svg", send(backdropSvg));
  const episodeNumber = z.coerce.number().int().min(0).max(999);
  router.get("/art/:slug/still/:season/:episode.svg", async (req, res) => {
    const { slug } = parseSlug({ slug: req.params.slug });
    const numbers = z.object({ season: episodeNumber, episode: episodeNumber }).safeParse(req.params);
    if (!numbers.success) throw new NotFoundError();
    const source = await getTitleArt(deps, slug);
    res.set("Cache-Control", "public, max-age=86400");
    res.type("image/svg+xml").send(stillSvg(source, numbers.data.season, numbers.data.episode));
  });
  return router;
}
