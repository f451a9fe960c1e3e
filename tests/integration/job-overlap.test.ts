// Two worker processes and a job longer than its schedule's interval: never two runs at once,
// and the run of a worker killed with kill -9 ends up `abandoned`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { recentRuns } from "../../src/services/ops/index.js";
import { createTestContext, testEnv, type TestContext } from "../support/context.js";
import { eventually, exited, spawnTs } from "../support/processes.js";

let ctx: TestContext;
const workers: ChildProcess[] = [];
beforeAll(async () => {
  ctx = await createTestContext({ JOB_LEASE_MS: "2000" });
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
  await ctx?.close();
});

const runsOf = () => ctx.deps.models.JobRun.find({ job: "slow-report" }).sort({ startedAt: 1 }).lean();

describe("a job slower than its interval, on two workers", () => {
  it("never runs twice at once, and a killed worker's run is marked abandoned", async () => {
    const env = testEnv({ MONGODB_URI: ctx.config.mongoUri, JOB_LEASE_MS: "2000" });
    workers.push(spawnTs("tests/support/job-worker.ts", env), spawnTs("tests/support/job-worker.ts", env));
    await eventually(async () => (await runsOf()).filter((r) => r.status === "succeeded").length >= 3, 30_000);

    // Kill -9 whichever worker is in the middle of a run.
    let running: { worker?: string | null; _id: unknown } | undefined;
    await eventually(async () => Boolean((running = (await runsOf()).find((r) => r.status === "running"))), 10_000, 20);
    const pid = Number(running!.worker!.split(":").pop());
    const victim = workers.find((w) => w.pid === pid)!;
    victim.kill("SIGKILL");
    await exited(victim);
    const killedAt = Date.now();

    // The survivor takes over once the lease runs out, and the dead run shows as abandoned.
    await eventually(async () =>
      (await recentRuns(ctx.deps, { job: "slow-report" })).some((r) => String(r._id) === String(running!._id) && r.status === "abandoned"),
    );
    const survivor = workers.find((w) => w !== victim)!;
    const survivorRuns = async () => (await runsOf()).filter((r) => r.startedAt.getTime() > killedAt && r.status === "succeeded");
    await eventually(async () => (await survivorRuns()).length >= 2, 15_000);
    survivor.kill("SIGTERM");
    expect((await exited(survivor)).code).toBe(0);

    // Every run, the abandoned one until its worker died, ends before the next one starts.
    const runs = await runsOf();
    const spans = runs.map((r) => ({ from: r.startedAt.getTime(), to: r.status === "abandoned" ? killedAt : r.finishedAt!.getTime() }));
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.from).toBeGreaterThanOrEqual(spans[i - 1]!.to);
    expect(runs.map((r) => r.status).filter((s) => s !== "succeeded")).toEqual(["abandoned"]);
  }, 60_000);
});
