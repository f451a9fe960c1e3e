// /admin/audit: the audit log, filtered by actor and action prefix.
import { Router } from "express";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { parseQuery } from "../../lib/validation.js";
import { render } from "../../lib/views.js";
import { listAudit } from "../../services/ops/index.js";

const query = z.object({
  actor: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export function adminAuditRoutes(deps: Deps): Router {
  const router = Router();
  router.get("/audit", async (req, res) => {
    const q = parseQuery(query, req.query);
    const result = await listAudit(deps, { actor: q.actor || undefined, action: q.action || undefined, page: q.page, pageSize: 50 });
    const qs = new URLSearchParams(Object.entries({ actor: q.actor ?? "", action: q.action ?? "" }).filter(([, v]) => v)).toString();
    render(res, "admin/audit", { q, result, qs });
  });
  return router;
}
