// Probes and metrics: /live (process up), /ready (MongoDB and Redis answer), /metrics (scraper token).
import { Router } from "express";
import { pingDb, withTimeout } from "../lib/db.js";
import type { Deps } from "../deps.js";
import { metricsEndpoint } from "../lib/metrics.js";

export interface Lifecycle {
  shuttingDown: boolean;
}

const PROBE_TIMEOUT_MS = 1500;

export function healthRouter(deps: Deps, lifecycle: Lifecycle): Router {
  const router = Router();

  router.get("/live", (_req, res) => {
    res.json({ status: "ok" });
  });

  router.get("/ready", async (_req, res) => {
    if (lifecycle.shuttingDown) return void res.status(503).json({ status: "shutting-down" });
    const [db, redis] = await Promise.allSettled([pingDb(deps.conn, PROBE_TIMEOUT_MS), withTimeout(deps.redis.ping(), PROBE_TIMEOUT_MS, "redis ping")]);
    const checks = { mongodb: db.status === "fulfilled" ? "ok" : "down", redis: redis.status === "fulfilled" ? "ok" : "down" };
    const ok = checks.mongodb === "ok" && checks.redis === "ok";
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", checks });
  });

  router.get("/metrics", metricsEndpoint(deps.metrics.registry, deps.config.metricsToken));

  return router;
}
