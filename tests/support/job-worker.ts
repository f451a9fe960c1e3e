// A worker process for fault tests: schedules one slow job every second (longer than its interval)
// with the environment's config, and stops its schedules on SIGTERM.
import { loadConfig } from "../../src/config.js";
import { closeDeps, createDeps } from "../../src/deps.js";
import { startSchedules } from "../../src/jobs/schedule.js";
import { createLogger } from "../../src/lib/logger.js";

const RUN_MS = 1500;
const deps = await createDeps(loadConfig(), { name: "worker", logger: createLogger("silent") });
const scheduler = startSchedules(deps, [
  {
    name: "slow-report",
    schedule: "* * * * * *",
    description: "a job that takes longer than its interval",
    task: async () => {
      await new Promise((r) => setTimeout(r, RUN_MS));
      return { pid: process.pid };
    },
  },
]);
process.on("SIGTERM", () => {
  void scheduler
    .stop()
    .then(() => closeDeps(deps))
    .then(() => process.exit(0));
});
