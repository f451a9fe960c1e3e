// /admin/catalog: the catalog CMS on top of the catalog services (list, create, edit, publish, TMDB import).
import { Router } from "express";
import type { Deps } from "../../lib/deps.js";

export function adminCatalogRoutes(_deps: Deps): Router {
  const router = Router();
  return router;
}
