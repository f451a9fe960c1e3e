// auditlog: who did what to which record, from the admin pages, the CLI or a job.
import { Schema, type Connection, type InferSchemaType } from "mongoose";

export const auditLogSchema = new Schema(
  {
    actor: { type: String, required: true, index: true },
    action: { type: String, required: true, index: true },
    target: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    ip: { type: String, default: null },
    at: { type: Date, required: true, index: -1 },
  },
  { versionKey: false },
);

export type AuditLog = InferSchemaType<typeof auditLogSchema>;

export function registerAuditLogModel(conn: Connection) {
  return conn.model("AuditLog", auditLogSchema, "auditlog");
}
