// The audit log: one line per state change an operator or job makes, written by the service that acts.
import type { Deps } from "../../deps.js";

export interface AuditEntry {
  actor: string; // "user:<id>", "cli:<os user>", "job:<name>" or "system"
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

/** Who asks a service to change something, as the audit log records it. */
export interface Acting {
  actor: string;
  ip?: string;
}

/** Start-up seeding and other writes nobody asked for by name. */
export const SYSTEM: Acting = Object.freeze({ actor: "system" });

export async function recordAudit(deps: Pick<Deps, "models" | "clock">, entry: AuditEntry): Promise<void> {
  await deps.models.AuditLog.create({ ...entry, at: deps.clock.now() });
}
