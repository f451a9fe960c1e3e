// purge (daily): deletes old notifications, finished outbox events, sent-mail records, expired
// mailed links and job run records, which
// stands in for TTL indexes (FerretDB has none).
import { op } from "../lib/db.js";
import type { Deps } from "../deps.js";
import { purgeNotifications, purgeSentMail } from "../services/notifications/index.js";
import { purgeExpiredTokens } from "../services/accounts/index.js";

export async function purgeTask(deps: Deps) {
  const now = deps.clock.now().getTime();
  const old = new Date(now - deps.config.retention.purgeAfterDays * 86_400_000);
  const oldRuns = new Date(now - deps.config.retention.jobRunsDays * 86_400_000);
  const notifications = await purgeNotifications(deps, old);
  const outbox = await deps.models.Outbox.deleteMany({ status: "done", doneAt: op({ $lt: old }) });
  const sentMail = await purgeSentMail(deps, old);
  const accountTokens = await purgeExpiredTokens(deps);
  const jobruns = await deps.models.JobRun.deleteMany({ startedAt: op({ $lt: oldRuns }), status: op({ $ne: "running" }) });
  return { notifications, outbox: outbox.deletedCount, sentMail, accountTokens, jobruns: jobruns.deletedCount };
}
