// The admin area: one router at /admin, guarded once by requireAdmin for every page and fragment.
import { Router } from "express";
import { requireAdmin } from "../middleware/auth.js";
import type { Deps } from "../../deps.js";
import { dateHelpers } from "../../lib/format-date.js";
import { adminAuditRoutes } from "./audit.js";
import { adminCatalogRoutes } from "./catalog.js";
import { adminDashboardRoutes } from "./dashboard.js";
import { adminJobsRoutes } from "./jobs.js";
import { adminMediaRoutes } from "./media.js";
import { adminPaymentsRoutes } from "./payments.js";
import { adminUsersRoutes } from "./users.js";

export function adminRouter(deps: Deps): Router {
  const router = Router();
  router.use(requireAdmin(deps));
  router.use((req, res, next) => {
    Object.assign(res.locals, dateHelpers(req.locale), { adminSection: req.path.split("/")[1] || "dashboard" });
    res.set("Cache-Control", "no-store");
    next();
  });
  // Sub-routers declare full paths (no mount prefixes), so the router walk in the tests sees them all.
  router.use(adminDashboardRoutes(deps));
  router.use(adminUsersRoutes(deps));
  router.use(adminPaymentsRoutes(deps));
  router.use(adminCatalogRoutes(deps));
  router.use(adminMediaRoutes(deps));
  router.use(adminJobsRoutes(deps));
  router.use(adminAuditRoutes(deps));
  return router;
}
