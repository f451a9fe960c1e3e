// The header's sections: /films and /series (one kind, an optional genre filter, pages by cursor)
// and /new (New & Popular: new this week, Top 10 films, Top 10 series, Coming soon with Remind me).
import { Router } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { parseQuery } from "../lib/validation.js";
import { dateHelpers } from "../lib/format-date.js";
import { wantsFragment } from "../lib/views.js";
import { GENRES, isGenre, listComingSoon, listKindPage, listNewAndPopular } from "../services/catalog/index.js";
import { remindedTitleIds } from "../services/watching/index.js";
import type { ProfileView } from "../services/accounts/index.js";
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
    const viewer = viewerOf(res);
    const [sections, comingSoon] = await Promise.all([listNewAndPopular(deps, viewer, deps.clock.now()), listComingSoon(deps, viewer)]);
    const profile = res.locals.profile as ProfileView | undefined;
    const reminded = profile
      ? await remindedTitleIds(
          deps,
          profile.id,
          comingSoon.map((c) => c.id),
        )
      : new Set<string>();
    renderCatalog(req, res, "sections/new", { sections, comingSoon, reminded, ...dateHelpers(req.locale) });
  });

  return router;
}
