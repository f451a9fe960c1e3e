// Worker entry: cron schedules for every job (never in the web process) and the outbox dispatcher.
import { ConfigError, loadConfig } from "./config.js";
import { startSchedules } from "./jobs/schedule.js";
import { closeDeps, createDeps } from "./deps.js";
import { flushTraces } from "./lib/tracing.js";
import { startMediaWorker } from "./services/catalog/index.js";

async function main() {
  const config = loadConfig();
  const deps = await createDeps(config, { name: "worker" });
  const scheduler = startSchedules(deps);
  // Transcodes and purges of uploaded films, from the BullMQ queue.
  const media = startMediaWorker(deps);
  deps.logger.info({ mediaConcurrency: config.media.concurrency }, "worker started: jobs scheduled, media queue consumed");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "worker stopping: waiting for running jobs");
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs);
    force.unref();
    await scheduler.stop();
    // Lets the running transcodes finish within the grace time; one cut short is taken up again by another worker.
    await media.close();
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
