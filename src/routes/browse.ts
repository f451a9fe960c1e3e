// GET /browse: the signed-in home (hero and rows). Also the helpers the catalog routers share.
import { Router, type Request, type Response } from "express";
import type { Deps } from "../lib/deps.js";
import { requireUser } from "../lib/auth.js";
import type { Viewer } from "../lib/maturity.js";
import { render } from "../lib/views.js";
import type { BrowseContext } from "../services/browse-rows.js";
import { catalogView } from "../services/catalog-present.js";
import { buildBrowsePage } from "../services/catalog-rows.js";

/** The active profile's ceiling, set by the profiles middleware; none means the whole catalog. */
export function viewerOf(res: Response): Viewer {
  return (res.locals.viewer as Viewer | undefined) ?? {};
}

export function browseContext(req: Request, res: Response): BrowseContext {
  const profile = res.locals.profile as { id?: string } | undefined;
  return { viewer: viewerOf(res), profileId: profile?.id ?? null, userId: req.user!.id, locale: req.locale };
}

/** Renders a catalog view with the display helpers (`cv`) and title cards opening the dialog. */
export function renderCatalog(req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200): void {
  render(res, view, { cv: catalogView(req.locale, res.locals.t), dialog: true, ...data }, status);
}

export function browseRouter(deps: Deps): Router {
  const router = Router();

  router.get("/browse", requireUser, async (req, res) => {
    const page = await buildBrowsePage(deps, browseContext(req, res));
    renderCatalog(req, res, "browse/index", { page });
  });

  return router;
}
