// The audit log for operators: filter by actor, action and time, newest first.
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";

export interface AuditQuery {
  actor?: string;
  action?: string;
  /** Entries at or after this moment. */
  since?: Date;
  /** Entries before this moment. */
  until?: Date;
  page: number;
  pageSize: number;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function listAudit(deps: Pick<Deps, "models">, q: AuditQuery) {
  const filter: Record<string, unknown> = {};
  // Prefix matches: "cli:" finds every CLI action, "payment." every payment decision.
  if (q.actor) filter.actor = op({ $regex: `^${escapeRegex(q.actor)}` });
  if (q.action) filter.action = op({ $regex: `^${escapeRegex(q.action)}` });
  if (q.since || q.until) filter.at = op({ ...(q.since ? { $gte: q.since } : {}), ...(q.until ? { $lt: q.until } : {}) });
  const [items, total] = await Promise.all([
    deps.models.AuditLog.find(filter)
      .sort({ at: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    deps.models.AuditLog.countDocuments(filter),
  ]);
  return { items, total, page: q.page, pages: Math.max(1, Math.ceil(total / q.pageSize)) };
}
