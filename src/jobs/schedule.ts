// Every job the worker schedules, with its cron expression; `jobs list|run` and /admin/jobs use the same list.
import cron from "node-cron";
import type { Deps } from "../deps.js";
import { withSpan } from "../lib/tracing.js";
import { fireTimeOf, runJob, type JobDefinition } from "../services/ops/index.js";
import { approveConfirmedPaymentsTask } from "./approve-confirmed-payments.js";
import { dispatchOutboxTask } from "./dispatch-outbox.js";
import { expireStalePaymentsTask } from "./expire-stale-payments.js";
import { expireSubscriptionsTask } from "./expire-subscriptions.js";
import { flushProgressTask } from "./flush-progress.js";
import { purgeTask } from "./purge.js";
import { releaseTitlesTask } from "./release-titles.js";
import { remindExpiringTask } from "./remind-expiring.js";
import { warmTmdbCacheTask } from "./warm-tmdb-cache.js";

export const JOBS: readonly JobDefinition[] = Object.freeze([
  { name: "expire-subscriptions", schedule: "0 7 * * * *", description: "End subscriptions whose period is over (hourly).", task: expireSubscriptionsTask },
  {
    name: "remind-expiring",
    schedule: "0 0 9 * * *",
    description: "Remind subscribers whose plan ends within the reminder window (daily, 09:00).",
    task: remindExpiringTask,
  },
  {
    name: "approve-confirmed-payments",
    schedule: "0 * * * * *",
    description: "Activate payments confirmed by the provider webhook (every minute).",
    task: approveConfirmedPaymentsTask,
  },
  {
    name: "expire-stale-payments",
    schedule: "0 30 3 * * *",
    description: "Close pending payments nobody paid in time (daily, 03:30).",
    task: expireStalePaymentsTask,
  },
  {
    name: "dispatch-outbox",
    schedule: "*/10 * * * * *",
    description: "Deliver outbox events to notifications and email (every 10 s).",
    task: dispatchOutboxTask,
  },
  {
    name: "release-titles",
    schedule: "0 */5 * * * *",
    description: "Release announced titles whose date has come and notify the profiles that asked to be reminded (every 5 min).",
    task: releaseTitlesTask,
  },
  { name: "flush-progress", schedule: "*/30 * * * * *", description: "Write buffered progress saves to the database (every 30 s).", task: flushProgressTask },
  { name: "purge", schedule: "0 15 4 * * *", description: "Delete old notifications, outbox events and job runs (daily, 04:15).", task: purgeTask },
  {
    name: "warm-tmdb-cache",
    schedule: "0 0 */6 * * *",
    description: "Refresh the TMDB metadata cache (every 6 h; no-op without a key).",
    task: warmTmdbCacheTask,
  },
]);

// Frequent jobs log only runs that did something.
const QUIET_WHEN_IDLE: ReadonlySet<string> = new Set(["dispatch-outbox", "flush-progress"]);
const hasWork = (counts: unknown) => Object.values((counts ?? {}) as Record<string, unknown>).some((v) => typeof v === "number" && v > 0);

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((j) => j.name === name);
}

export function nextRunOf(job: JobDefinition): Date | null {
  const task = cron.createTask(job.schedule, () => undefined);
  // A stopped task reports no next run; getNextRuns still computes from the pattern.
  const next = task.getNextRuns(1)[0] ?? null;
  void task.destroy();
  return next;
}

/** node-cron's own messages through the JSON logger; a fire skipped while a run goes on is normal. */
function cronLogger(deps: Deps, job: string) {
  const log = deps.logger.child({ job });
  return {
    info: (msg: string) => log.debug(msg),
    warn: (msg: string) => log.debug(msg),
    error: (msg: string | Error, err?: Error) => log.error({ err: err ?? msg }, typeof msg === "string" ? msg : "cron error"),
    debug: (msg: string | Error) => log.debug(String(msg)),
  };
}

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Starts every job's cron schedule. A fire's callback returns the run, so node-cron's noOverlap
 * skips fires on this worker while a run is in progress; runJob's lock does the same across
 * workers. stop() ends the schedules, tells running jobs to stop at their next step, and waits.
 */
export function startSchedules(deps: Deps, jobs: readonly JobDefinition[] = JOBS): Scheduler {
  const inFlight = new Set<Promise<unknown>>();
  const stopping = new AbortController();
  // Every fire starts a trace of its own; the run, its database and Redis calls are its children.
  const fire = (job: JobDefinition, date: Date) =>
    withSpan(`cron ${job.name}`, { root: true, attributes: { "job.name": job.name, "job.schedule": job.schedule } }, () =>
      runJob(deps, job, { fireTime: fireTimeOf(date), trigger: "schedule", signal: stopping.signal }),
    )
      .then((r) => {
        if (r.status !== "skipped" && (!QUIET_WHEN_IDLE.has(job.name) || r.status === "failed" || hasWork(r.counts))) {
          deps.logger.info({ job: job.name, result: r }, `job ${job.name} ${r.status}`);
        }
      })
      .catch((err: unknown) => deps.logger.error({ job: job.name, err: (err as Error).message }, "job could not start"));
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      (ctx) => {
        if (stopping.signal.aborted) return;
        const run = fire(job, ctx.date);
        inFlight.add(run);
        return run.finally(() => inFlight.delete(run));
      },
      { name: job.name, noOverlap: true, logger: cronLogger(deps, job.name) },
    ),
  );
  return {
    async stop() {
      stopping.abort();
      for (const t of tasks) void t.stop();
      await Promise.allSettled([...inFlight]);
      for (const t of tasks) void t.destroy();
    },
  };
}
