// Every model bound to one connection; services receive this object as `models`.
import type { Connection } from "mongoose";
import { registerAuditLogModel } from "./audit-log.js";
import { registerUserModel } from "./user.js";
import { registerPaymentModel } from "./payment.js";
import { registerNotificationModel } from "./notification.js";
import { registerOutboxModel } from "./outbox.js";
import { registerSentMailModel } from "./sent-mail.js";
import { registerAccountTokenModel } from "./account-token.js";
import { registerJobRunModel } from "./job-run.js";
import { registerProfileModel } from "./profile.js";
import { registerListEntryModel } from "./list-entry.js";
import { registerRatingModel } from "./rating.js";
import { registerReminderModel } from "./reminder.js";
import { registerWatchProgressModel } from "./watch-progress.js";
import { registerTitleModel } from "./title.js";
import { registerTitleStatModel } from "./title-stat.js";

export function createModels(conn: Connection) {
  return {
    User: registerUserModel(conn),
    AuditLog: registerAuditLogModel(conn),
    Payment: registerPaymentModel(conn),
    Notification: registerNotificationModel(conn),
    Outbox: registerOutboxModel(conn),
    SentMail: registerSentMailModel(conn),
    AccountToken: registerAccountTokenModel(conn),
    JobRun: registerJobRunModel(conn),
    Profile: registerProfileModel(conn),
    ListEntry: registerListEntryModel(conn),
    Rating: registerRatingModel(conn),
    Reminder: registerReminderModel(conn),
    WatchProgress: registerWatchProgressModel(conn),
    Title: registerTitleModel(conn),
    TitleStat: registerTitleStatModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;
