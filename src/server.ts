// Web entry: load config, connect, listen, and shut down gracefully on SIGTERM/SIGINT.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { closeDeps, createDeps } from "./deps.js";
import type { Lifecycle } from "./routes/health.js";
import { flushTraces } from "./lib/tracing.js";
import { seedDemoCatalogIfEmpty } from "./services/catalog/index.js";

async function main() {
  const config = loadConfig();
  const deps = await createDeps(config, { name: "web" });
  // Demo set-ups (scripts/up) fill an empty catalog; production never seeds unless told to.
  if (config.catalog.seedDemo) await seedDemoCatalogIfEmpty(deps);
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp(deps, lifecycle);
  const server = createServer(
    {
      // How often Node checks the two timeouts below; its default (30 s) would let a slow client
      // hold a socket far longer than headersTimeout says.
      connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(config.http.headersTimeoutMs / 2))),
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: config.http.requestTimeoutMs,
    },
    app,
  );
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    deps.logger.info({ port }, `listening on http://localhost:${port}`);
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "shutting down: readiness off, finishing in-flight requests");
    lifecycle.shuttingDown = true;
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    force.unref();
    server.close(async () => {
      // Buffered progress saves go to the database before the connections close.
      await deps.progress.flushAll().catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, "progress flush at shutdown failed"));
      await closeDeps(deps);
      await flushTraces();
      deps.logger.info("stopped");
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error("web failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
