// Every model bound to one connection; services receive this object as `models`.
import type { Connection } from "mongoose";
import { registerAuditLogModel } from "./audit-log.js";
import { registerUserModel } from "./user.js";

export function createModels(conn: Connection) {
  return {
    User: registerUserModel(conn),
    AuditLog: registerAuditLogModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;
