// GET /browse: the signed-in home (hero and rows). Also the helpers the catalog routers share.
import { Router, type Request, type Response } from "express";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { cachedFragment, contentKey, sendWithFragments } from "../lib/fragments.js";
import { render } from "../lib/views.js";

import { catalogView } from "../services/catalog/index.js";
import { getCatalogRow } from "../services/catalog/index.js";
import { browsePageVersion, buildBrowsePage } from "../services/watching/index.js";
import { keptPage } from "./middleware/kept-page.js";
import { browseContext, viewerOf } from "./middleware/profile-context.js";
import { NotFoundError } from "../lib/errors.js";
import { wantsFragment } from "../lib/views.js";

/** What catalog views need besides the request locals: display helpers (`cv`), cards opening the dialog. */
function catalogLocals(req: Request, res: Response) {
  return { cv: catalogView(req.locale, res.locals.t), dialog: true };
}

/** Renders a catalog view with the display helpers (`cv`) and title cards opening the dialog. */
export function renderCatalog(req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200): void {
  render(res, view, { ...catalogLocals(req, res), ...data }, status);
}

export function browseRouter(deps: Deps): Router {
  const router = Router();

  router.get("/browse", requireUser, keptPage(deps, browsePageVersion), async (req, res) => {
    const ctx = browseContext(req, res);
    const page = await buildBrowsePage(deps, ctx);
    const locals = catalogLocals(req, res);
    // The catalog's rows are the same for every profile at this maturity level but for the My
    // List marks: rendered once per set of marks, then reused (lib/fragments). A profile's own
    // rows are named by their content: rendered again only when what they show has changed.
    const rows = page.rows.map((row) => {
      const data = { ...locals, row };
      const marked = ctx.titleState ? row.items.filter((c) => ctx.titleState!.listed.has(c.id)).map((c) => c.id) : [];
      const version = row.stamp ?? contentKey(row);
      const key = `${version}|${row.id}|${row.lazy ? "lazy" : "drawn"}|${res.locals.currentPath}|${marked.join(",")}`;
      return cachedFragment(deps.fragments, res, key, "browse/_row", data);
    });
    sendWithFragments(res, "browse/index", { ...locals, page }, "rowSlots", rows);
  });

  // A lazy row loading itself; a direct visit (no htmx) goes to the row's own page instead.
  router.get("/browse/rows/:id", requireUser, async (req, res) => {
    const id = String(req.params.id);
    const row = /^[a-z0-9-]{1,60}$/.test(id) ? await getCatalogRow(deps, viewerOf(res), id, deps.clock.now()) : null;
    if (!row) throw new NotFoundError("catalog.rowNotFound");
    if (!wantsFragment(req, res, `row-${row.id}`)) return res.redirect(303, row.href ?? "/browse");
    renderCatalog(req, res, "browse/_row", { row: { ...row, lazy: false } });
  });

  return router;
}
