// The header's sections: /films and /series (one kind, an optional genre filter, pages by cursor)
// and /new (New & Popular: new this week, Top 10 films, Top 10 series).
import { Router } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { parseQuery } from "../lib/validation.js";
import { wantsFragment } from "../lib/views.js";
import { GENRES, isGenre, listKindPage, listNewAndPopular } from "../services/catalog/index.js";
import { renderCatalog } from "./browse.js";
import { viewerOf } from "./middleware/profile-context.js";

const sectionQuery = z.object({
  // An unknown genre is no filter rather than an error: links with old genres still open.
  genre: z.string().max(40).optional(),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

export function sectionsRouter(deps: Deps): Router {
  const router = Router();

  for (const [path, kind] of [
    ["/films", "movie"],
    ["/series", "series"],
  ] as const) {
    router.get(path, requireUser, async (req, res) => {
      const q = parseQuery(sectionQuery, req.query);
      const genre = isGenre(q.genre) ? q.genre : null;
      const page = await listKindPage(deps, viewerOf(res), kind, genre, q.cursor);
      const base = genre ? `${path}?genre=${genre}&` : `${path}?`;
      if (wantsFragment(req, res, "section-more")) return renderCatalog(req, res, "sections/_page", { page, base });
      renderCatalog(req, res, "sections/kind", { page, path, base, genres: GENRES, continued: Boolean(q.cursor) });
    });
  }

  router.get("/new", requireUser, async (req, res) => {
    const sections = await listNewAndPopular(deps, viewerOf(res), deps.clock.now());
    renderCatalog(req, res, "sections/new", { sections });
  });

  return router;
}
