// Running a job: at most one run of a job at a time, across workers and on each worker, and once
// per fire. A Redis lock per job is held and renewed for the whole run (a run longer than the
// schedule's interval makes the next fires skip); the jobruns row's unique (job, fireTime) index
// makes a late worker skip a fire that already ran. A worker that dies mid-run stops renewing:
// its lease runs out, the lock frees itself, and the run is marked `abandoned`.
import { hostname } from "node:os";
import type { Deps } from "../../deps.js";
import { op } from "../../lib/db.js";
import { acquireLock, keepLease } from "../../lib/lock.js";
import { withSpan } from "../../lib/tracing.js";
import { recordAudit } from "./audit.js";

export type JobCounts = object;

export interface JobContext {
  /** Aborted when the worker stops or the run lost its lock: stop at the next safe point. */
  signal: AbortSignal;
}

export interface JobDefinition {
  name: string;
  schedule: string; // node-cron expression (seconds field first when present)
  description: string;
  task: (deps: Deps, ctx: JobContext) => Promise<JobCounts>;
}

export type JobRunResult =
  | { status: "succeeded"; job: string; fireTime: Date; counts: JobCounts; ms: number }
  | { status: "failed"; job: string; fireTime: Date; error: string; ms: number }
  | { status: "skipped"; job: string; fireTime: Date; reason: "locked" | "already-ran" };

export interface RunOptions {
  fireTime: Date;
  trigger: "schedule" | "manual";
  triggeredBy?: string;
  /** Where a manual run was asked from, for the audit log. */
  ip?: string;
  /** The worker's stop signal, passed on to the task. */
  signal?: AbortSignal;
}

export const lockKey = (job: string) => `joblock:${job}`;

/** Runs whose worker stopped renewing their lease are over: marks them `abandoned`. */
export async function markAbandonedRuns(deps: Pick<Deps, "models" | "clock">): Promise<number> {
  const res = await deps.models.JobRun.updateMany(
    { status: "running", leaseUntil: op({ $lt: deps.clock.now() }) },
    { $set: { status: "abandoned", error: "the worker stopped before the run finished" } },
  );
  return res.modifiedCount;
}

/** Runs a job once for its fire time; a manual run (admin page or CLI) is audited as "job.run" with its outcome. */
export async function runJob(deps: Deps, job: JobDefinition, opts: RunOptions): Promise<JobRunResult> {
  const attributes = { "job.name": job.name, "job.trigger": opts.trigger, "job.fire_time": opts.fireTime.toISOString() };
  const result = await withSpan(`job ${job.name}`, { attributes }, async (span) => {
    const r = await runJobOnce(deps, job, opts);
    span.setAttribute("job.status", r.status);
    return r;
  });
  if (opts.trigger === "manual") {
    await recordAudit(deps, {
      actor: opts.triggeredBy ?? "system",
      action: "job.run",
      target: `job:${job.name}`,
      details: { status: result.status },
      ip: opts.ip,
    });
  }
  return result;
}

async function runJobOnce(deps: Deps, job: JobDefinition, opts: RunOptions): Promise<JobRunResult> {
  const fireTime = opts.fireTime;
  const leaseMs = deps.config.jobs.leaseMs;
  const lock = await acquireLock(deps.redis, lockKey(job.name), leaseMs);
  if (!lock) return { status: "skipped", job: job.name, fireTime, reason: "locked" };
  const stop = new AbortController();
  const onWorkerStop = () => stop.abort();
  opts.signal?.addEventListener("abort", onWorkerStop, { once: true });
  let lease: { stop(): void } | undefined;
  try {
    // Before this run's row: a dead worker's run of this job shows as abandoned, not running.
    await markAbandonedRuns(deps);
    const startedAt = deps.clock.now();
    let runId: unknown;
    try {
      const run = await deps.models.JobRun.create({
        job: job.name,
        fireTime,
        trigger: opts.trigger,
        triggeredBy: opts.triggeredBy ?? null,
        worker: `${hostname()}:${process.pid}`,
        startedAt,
        leaseUntil: new Date(startedAt.getTime() + leaseMs),
      });
      runId = run._id;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return { status: "skipped", job: job.name, fireTime, reason: "already-ran" };
      throw err;
    }
    lease = keepLease(lock, leaseMs, {
      onRenewed: async () => {
        await deps.models.JobRun.updateOne({ _id: runId }, { $set: { leaseUntil: new Date(deps.clock.now().getTime() + leaseMs) } });
      },
      onLost: () => {
        deps.logger.warn({ job: job.name }, "job lost its lock; stopping at the next step");
        stop.abort();
      },
    });
    return await execute(deps, job, fireTime, runId, stop.signal);
  } finally {
    lease?.stop();
    opts.signal?.removeEventListener("abort", onWorkerStop);
    await lock.release().catch(() => undefined);
  }
}

async function execute(deps: Deps, job: JobDefinition, fireTime: Date, runId: unknown, signal: AbortSignal): Promise<JobRunResult> {
  const t0 = performance.now();
  try {
    const counts = await job.task(deps, { signal });
    const ms = Math.round(performance.now() - t0);
    await deps.models.JobRun.updateOne({ _id: runId }, { $set: { status: "succeeded", finishedAt: deps.clock.now(), counts } });
    return { status: "succeeded", job: job.name, fireTime, counts, ms };
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const ms = Math.round(performance.now() - t0);
    await deps.models.JobRun.updateOne({ _id: runId }, { $set: { status: "failed", finishedAt: deps.clock.now(), error } }).catch(() => undefined);
    deps.logger.error({ job: job.name, err: error }, "job failed");
    return { status: "failed", job: job.name, fireTime, error, ms };
  }
}

/** Cron fires are per second at most; truncating makes every worker agree on the key. */
export function fireTimeOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export async function recentRuns(deps: Pick<Deps, "models" | "clock">, opts: { job?: string; limit?: number } = {}) {
  await markAbandonedRuns(deps);
  const filter = opts.job ? { job: opts.job } : {};
  return deps.models.JobRun.find(filter)
    .sort({ startedAt: -1 })
    .limit(opts.limit ?? 50)
    .lean();
}

export async function lastRunByJob(deps: Pick<Deps, "models" | "clock">, names: string[]) {
  await markAbandonedRuns(deps);
  const runs = await Promise.all(names.map((job) => deps.models.JobRun.findOne({ job }).sort({ startedAt: -1 }).lean()));
  return new Map(names.map((n, i) => [n, runs[i] ?? null]));
}
