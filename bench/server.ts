// The web process under benchmark: the real app plus the baseline page, in a process of its own so
// the load generator (autocannon, in the parent) never shares its event loop. Started by
// bench/environment.ts with the configuration in its environment; reports its port over IPC,
// writes its buffered progress saves on "flush", and stops (writing them first, as the real
// server does) on "stop" or SIGTERM.
import type { AddressInfo } from "node:net";
import express from "express";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { loadCurrentUser } from "../src/lib/auth.js";
import { closeDeps, createDeps } from "../src/lib/bootstrap.js";
import { notFoundHandler } from "../src/lib/error-handler.js";
import { createLogger } from "../src/lib/logger.js";
import { createSessionMiddleware, sessionLimits } from "../src/lib/session.js";
import { flushAllBuffered } from "../src/services/progress-buffer.js";

async function main() {
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

  const server = outer.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
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
    if (msg === "flush") void flushAllBuffered(deps).then(() => process.send?.("flushed"), () => process.send?.("flush-failed"));
  });
  process.on("disconnect", stop);
}

main().catch((err: unknown) => {
  console.error("bench server failed:", err);
  process.exit(1);
});
