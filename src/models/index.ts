// Every model bound to one connection; services receive this object as `models`.
import type { Connection } from "mongoose";
import { registerAuditLogModel } from "./audit-log.js";
import { registerUserModel } from "./user.js";
import { registerTitleModel } from "./title.js";
import { registerTitleStatModel } from "./title-stat.js";
import { registerProfileModel } from "./profile.js";
import { registerListEntryModel } from "./list-entry.js";
import { registerRatingModel } from "./rating.js";
import { registerWatchProgressModel } from "./watch-progress.js";

export function createModels(conn: Connection) {
  return {
    User: registerUserModel(conn),
    AuditLog: registerAuditLogModel(conn),
    Title: registerTitleModel(conn),
    TitleStat: registerTitleStatModel(conn),
    Profile: registerProfileModel(conn),
    ListEntry: registerListEntryModel(conn),
    Rating: registerRatingModel(conn),
    WatchProgress: registerWatchProgressModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;
