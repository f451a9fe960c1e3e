// Genre pages: /genres lists them, /genre/:slug pages by cursor (infinite scroll with htmx,
// a plain "next page" link without JavaScript).
import { keptPage } from "./middleware/kept-page.js";
import { titlesPageVersion } from "../services/watching/index.js";
import { Router } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { NotFoundError } from "../lib/errors.js";
import { parseQuery } from "../lib/validation.js";
import { wantsFragment } from "../lib/views.js";
import { listGenrePage } from "../services/catalog/index.js";
import { GENRES, isGenre } from "../services/catalog/index.js";
import { renderCatalog } from "./browse.js";
import { viewerOf } from "./middleware/profile-context.js";

const pageQuery = z.object({
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

export function genresRouter(deps: Deps): Router {
  const router = Router();

  router.get("/genres", requireUser, (req, res) => {
    renderCatalog(req, res, "genres/index", { genres: GENRES });
  });

  router.get("/genre/:slug", requireUser, keptPage(deps, titlesPageVersion), async (req, res) => {
    const slug = req.params.slug;
    if (!isGenre(slug)) throw new NotFoundError("catalog.genreNotFound");
    const { cursor } = parseQuery(pageQuery, req.query);
    const page = await listGenrePage(deps, viewerOf(res), slug, cursor);
    if (wantsFragment(req, res, "genre-more")) return renderCatalog(req, res, "genres/_page", { page });
    renderCatalog(req, res, "genres/show", { page, continued: Boolean(cursor) });
  });

  return router;
}
