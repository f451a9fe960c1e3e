// netflix-admin jobs list | run <name> | runs: the worker's jobs; run takes the same (job, fire time) lock.
import type { Command } from "commander";
import { z } from "zod";
import { findJob, JOBS, nextRunOf } from "../../jobs/schedule.js";
import { jsonOnly, parseArgs } from "../args.js";
import { lastRunByJob, recentRuns, runJob } from "../../services/ops/index.js";
import { CliUsageError, type CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";

const runsArgs = z.strictObject({
  json: z.boolean().optional(),
  job: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(40),
});

export function registerJobsCommands(program: Command, ctx: CliContext): void {
  const jobs = program.command("jobs").description("scheduled jobs");

  jobs
    .command("list")
    .description("every job with its schedule, next run and last run")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const last = await lastRunByJob(
        deps,
        JOBS.map((j) => j.name),
      );
      const rows = JOBS.map((j) => {
        const run = last.get(j.name);
        return {
          name: j.name,
          schedule: j.schedule,
          nextRun: nextRunOf(j),
          lastRun: run?.startedAt ?? null,
          lastStatus: run?.status ?? null,
          description: j.description,
        };
      });
      printResult(ctx.output, Boolean(o.json), rows, () => formatTable(rows, ["name", "schedule", "nextRun", "lastRun", "lastStatus"]));
    });

  jobs
    .command("run")
    .description("run a job once now, with the same code and lock as the worker")
    .argument("<name>", `one of: ${JOBS.map((j) => j.name).join(", ")}`)
    .option("--json", "print JSON")
    .action(async (name: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const job = findJob(name);
      if (!job) throw new CliUsageError(`unknown job "${name}"; one of: ${JOBS.map((j) => j.name).join(", ")}`);
      const deps = await ctx.deps();
      const isTty = Boolean((process.stderr as { isTTY?: boolean }).isTTY) && !o.json;
      if (isTty) ctx.output.err(`running ${name}…`);
      const r = await runJob(deps, job, { fireTime: deps.clock.now(), trigger: "manual", triggeredBy: ctx.actor });
      if (r.status === "failed") {
        if (o.json) printResult(ctx.output, true, r, () => "");
        throw new Error(`${name} failed: ${r.error}`);
      }
      printResult(ctx.output, Boolean(o.json), r, () =>
        r.status === "succeeded" ? `${name} succeeded in ${r.ms} ms: ${JSON.stringify(r.counts)}` : `${name} skipped: already running for this moment.`,
      );
    });

  jobs
    .command("runs")
    .description("recent runs, newest first, scheduled and manual (a dead worker's run shows as abandoned)")
    .option("--job <name>", "only this job's runs")
    .option("--limit <n>", "how many", "40")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const o = parseArgs(runsArgs, opts);
      if (o.job && !findJob(o.job)) throw new CliUsageError(`unknown job "${o.job}"; one of: ${JOBS.map((j) => j.name).join(", ")}`);
      const deps = await ctx.deps();
      const rows = (await recentRuns(deps, { job: o.job, limit: o.limit })).map((r) => ({
        job: r.job,
        fireTime: r.fireTime,
        trigger: r.trigger,
        triggeredBy: r.triggeredBy ?? null,
        worker: r.worker,
        status: r.status,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt ?? null,
        counts: r.counts ?? null,
        error: r.error ?? null,
      }));
      printResult(ctx.output, Boolean(o.json), rows, () =>
        formatTable(rows, ["job", "trigger", "triggeredBy", "worker", "status", "startedAt", "finishedAt", "error"]),
      );
    });
}
