// The audit log: one line per state change an operator or job makes.
import type { Deps } from "../../deps.js";

export interface AuditEntry {
  actor: string; // "user:<id>", "cli:<os user>" or "job:<name>"
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

export async function recordAudit(deps: Pick<Deps, "models" | "clock">, entry: AuditEntry): Promise<void> {
  await deps.models.AuditLog.create({ ...entry, at: deps.clock.now() });
}
