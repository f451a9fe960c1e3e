// Worker entry: cron schedules for every job (never in the web process) and the outbox dispatcher.
import { ConfigError, loadConfig } from "./config.js";
import { startSchedules } from "./jobs/schedule.js";
import { closeDeps, createDeps } from "./deps.js";
import { flushTraces } from "./lib/tracing.js";

async function main() {
  const config = loadConfig();
  const deps = await createDeps(config, { name: "worker" });
  const scheduler = startSchedules(deps);
  deps.logger.info("worker started: jobs scheduled");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "worker stopping: waiting for running jobs");
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs);
    force.unref();
    await scheduler.stop();
    await closeDeps(deps);
    await flushTraces();
    deps.logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error("worker failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
