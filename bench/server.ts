// The web tier under benchmark: the real app plus the baseline pages, in processes of their own so
// the load generator (in the parent) never shares their event loop. BENCH_WEB_PROCESSES (default
// 2, like the two web replicas of docker compose) processes share one port through node:cluster.
// Started by bench/environment.ts with the configuration in its environment; reports the port
// over IPC, writes buffered progress saves on "flush" (every process, after its own flushes in
// flight), and stops (writing them first, as the real server does) on "stop" or SIGTERM.
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import cluster from "node:cluster";
import { createServer, type AddressInfo } from "node:net";
import express from "express";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { loadCurrentUser } from "../src/routes/middleware/auth.js";
import { closeDeps, createDeps } from "../src/deps.js";
import { notFoundHandler } from "../src/lib/error-handler.js";
import { createLogger } from "../src/lib/logger.js";
import { createSessionMiddleware, sessionLimits } from "../src/routes/middleware/session.js";
import { flushAllBuffered } from "../src/services/watching/progress-buffer.js";

async function serve(port: number) {
  const config = loadConfig();
  const deps = await createDeps(config, { name: "bench-web", logger: createLogger("silent") });

  const outer = express();
  outer.disable("x-powered-by");
  outer.set("trust proxy", 0);
  // The baseline: a trivial page behind the session middleware and user lookup every signed-in page pays for.
  outer.get("/__baseline", createSessionMiddleware(config, deps.redis), sessionLimits(config, deps.redis), loadCurrentUser(deps), (req, res) => {
    res.type("html").send(`<!doctype html><title>ok</title><p>${req.user ? "signed in" : "anonymous"}</p>`);
  });
  const app = createApp(deps);
  // The same trivial page behind the app's whole middleware chain (logging, headers, rate limit,
  // locale, CSRF token, profile, notification count): the difference to /browse is the page itself.
  app.get("/__baseline-app", (_req, res) => void res.type("html").send("<!doctype html><title>ok</title><p>ok</p>"));
  const stack = (app as unknown as { router: { stack: { handle: unknown }[] } }).router.stack;
  stack.splice(
    stack.findIndex((l) => l.handle === notFoundHandler),
    0,
    stack.pop()!,
  );
  outer.use(app);

  const server = outer.listen(port, "127.0.0.1", () => process.send?.({ listening: true }));
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(async () => {
      await flushAllBuffered(deps).catch(() => undefined);
      await closeDeps(deps);
      process.exit(0);
    });
    // Requests still in flight when the load stopped get a moment to finish.
    setTimeout(() => server.closeAllConnections(), 2000).unref();
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("message", (msg) => {
    if (msg === "stop") stop();
    // Waits for this process's own background flushes, then writes what is still buffered.
    if (msg === "rss") {
      const { rss, heapUsed, external } = process.memoryUsage();
      // Then what is live: a full collection, and the memory the process holds after it.
      v8.setFlagsFromString("--expose-gc");
      (runInNewContext("gc") as () => void)();
      const after = process.memoryUsage();
      process.send?.({ rss, heapUsed, external, liveHeap: after.heapUsed, heapHeld: after.heapTotal, buffersAfterGc: after.external, rssAfterGc: after.rss });
    }
    if (msg === "flush")
      void flushAllBuffered(deps).then(
        () => process.send?.("flushed"),
        () => process.send?.("flush-failed"),
      );
  });
  process.on("disconnect", stop);
}

/** What a web process reports of its memory, in bytes. */
export interface WebMemory {
  rss: number;
  heapUsed: number;
  external: number;
  /** The JavaScript heap and the RSS right after a full garbage collection. */
  liveHeap: number;
  /** The memory V8 holds for its heap (committed), and external memory (buffers), after it. */
  heapHeld: number;
  buffersAfterGc: number;
  rssAfterGc: number;
}

/** A free loopback port for the workers to share. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** The primary: starts the workers, answers the parent once all listen, relays flush and stop. */
async function primary() {
  const count = Math.max(1, Number(process.env.BENCH_WEB_PROCESSES ?? 2));
  const port = await freePort();
  const workers = Array.from({ length: count }, () => cluster.fork({ BENCH_PORT: String(port) }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
  process.send?.({ port, processes: count });
  const flushAll = () =>
    Promise.all(workers.map((w) => new Promise((resolve) => (w.once("message", resolve), w.send("flush"))))).then((replies) =>
      process.send?.(replies.every((r) => r === "flushed") ? "flushed" : "flush-failed"),
    );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.all(workers.map((w) => new Promise((resolve) => (w.once("exit", resolve), w.send("stop"))))).then(() => process.exit(0));
  };
  const rssAll = () =>
    Promise.all(workers.map((w) => new Promise<WebMemory>((resolve) => (w.once("message", resolve), w.send("rss"))))).then((replies) =>
      process.send?.({ rss: replies }),
    );
  process.on("message", (msg) => {
    if (msg === "rss") void rssAll();
    if (msg === "flush") void flushAll();
    if (msg === "stop") stop();
  });
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
}

(cluster.isPrimary ? primary() : serve(Number(process.env.BENCH_PORT))).catch((err: unknown) => {
  console.error("bench server failed:", err);
  process.exit(1);
});
