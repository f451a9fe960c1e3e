// Title details: the dialog fragment and the full page at /title/:slug (same content), the season
// picker's episode list, and the generated poster/backdrop art.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { parseParams, parseQuery, slugParam } from "../lib/validation.js";
import { wantsFragment } from "../lib/views.js";
import { getTitleDetail, listMoreLikeThis } from "../services/catalog/index.js";
import { backdropSvg, getTitleArt, posterSvg } from "../services/catalog/index.js";
import { renderCatalog, viewerOf } from "./browse.js";

const titleQuery = z.object({ season: z.coerce.number().int().min(0).max(200).optional() });

export function titlesRouter(deps: Deps): Router {
  const router = Router();

  router.get("/title/:slug", requireUser, async (req, res) => {
    const { slug } = parseSlug(req.params);
    const { season } = parseQuery(titleQuery, req.query);
    const viewer = viewerOf(res);
    const title = await getTitleDetail(deps, viewer, slug);
    const current = title.seasons.find((s) => s.number === season) ?? title.seasons[0] ?? null;
    for (const prefix of ["", "dialog-"]) {
      if (title.kind === "series" && wantsFragment(req, res, `${prefix}episodes`)) {
        return renderCatalog(req, res, "titles/_episodes", { item: title, season: current, prefix });
      }
    }
    const more = await listMoreLikeThis(deps, viewer, title);
    if (wantsFragment(req, res, "title-dialog")) {
      return renderCatalog(req, res, "titles/_dialog", { item: title, season: current, more, prefix: "dialog-", inDialog: true });
    }
    renderCatalog(req, res, "titles/show", { item: title, season: current, more, prefix: "", inDialog: false });
  });

  return router;
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
  return router;
}
