// Running a job once per fire: a Redis lock keyed by (job, fire time), then a jobruns row whose
// unique (job, fireTime) index is the second guard. Scheduled fires and `jobs run` share this path.
import { hostname } from "node:os";
import type { Deps } from "../../deps.js";
import { acquireLock } from "../../lib/lock.js";
import { recordAudit } from "./audit.js";

export type JobCounts = object;

export interface JobDefinition {
  name: string;
  schedule: string; // node-cron expression (seconds field first when present)
  description: string;
  task: (deps: Deps) => Promise<JobCounts>;
  /** How long the fire lock lives; longer than the job can take. */
  lockTtlMs?: number;
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
}

export const lockKey = (job: string, fireTime: Date) => `joblock:${job}:${fireTime.toISOString()}`;

/** Runs a job once for its fire time; a manual run (admin page or CLI) is audited as "job.run" with its outcome. */
export async function runJob(deps: Deps, job: JobDefinition, opts: RunOptions): Promise<JobRunResult> {
  const result = await runJobOnce(deps, job, opts);
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
  // The lock is left to expire rather than released, so a worker that fires late still skips.
  const lock = await acquireLock(deps.redis, lockKey(job.name, fireTime), job.lockTtlMs ?? 10 * 60_000);
  if (!lock) return { status: "skipped", job: job.name, fireTime, reason: "locked" };
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
    });
    runId = run._id;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { status: "skipped", job: job.name, fireTime, reason: "already-ran" };
    throw err;
  }
  const t0 = performance.now();
  try {
    const counts = await job.task(deps);
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

export async function recentRuns(deps: Pick<Deps, "models">, opts: { job?: string; limit?: number } = {}) {
  const filter = opts.job ? { job: opts.job } : {};
  return deps.models.JobRun.find(filter)
    .sort({ startedAt: -1 })
    .limit(opts.limit ?? 50)
    .lean();
}

export async function lastRunByJob(deps: Pick<Deps, "models">, names: string[]) {
  const runs = await Promise.all(names.map((job) => deps.models.JobRun.findOne({ job }).sort({ startedAt: -1 }).lean()));
  return new Map(names.map((n, i) => [n, runs[i] ?? null]));
}
