// Active search: /search?q=&genre=&year= renders the page, or only the results for htmx.
import { keptPage } from "./middleware/kept-page.js";
import { titlesPageVersion } from "../services/watching/index.js";
import { Router } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { parseQuery } from "../lib/validation.js";
import { wantsFragment } from "../lib/views.js";
import { GENRES } from "../services/catalog/index.js";
import { listCatalogYears, searchTitles } from "../services/catalog/index.js";
import { renderCatalog } from "./browse.js";
import { viewerOf } from "./middleware/profile-context.js";

// Empty select values mean "any"; strings only, so an array or object in the query is a 400.
const empty = (v: unknown) => (v === "" ? undefined : v);
export const SEARCH_MAX_LENGTH = 100;
const searchQuery = z.object({
  q: z.string().max(SEARCH_MAX_LENGTH, { error: "errors.searchTooLong" }).optional(),
  genre: z.preprocess(empty, z.enum(GENRES).optional()),
  year: z.preprocess(
    empty,
    z
      .string()
      .regex(/^\d{4}$/)
      .transform(Number)
      .optional(),
  ),
});

export function searchRouter(deps: Deps): Router {
  const router = Router();

  router.get("/search", requireUser, keptPage(deps, titlesPageVersion), async (req, res) => {
    const input = parseQuery(searchQuery, req.query);
    const viewer = viewerOf(res);
    const result = await searchTitles(deps, viewer, input);
    const data = { query: { q: input.q ?? "", genre: input.genre ?? "", year: input.year ?? "" }, result, genres: GENRES };
    if (wantsFragment(req, res, "search-results")) return renderCatalog(req, res, "search/_results", data);
    renderCatalog(req, res, "search/index", { ...data, years: await listCatalogYears(deps, viewer) });
  });

  return router;
}
