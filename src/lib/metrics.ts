// Prometheus metrics: a registry per set of deps (one per process in production) with default
// process metrics, an HTTP histogram and the caches' hit/miss counter.
import type { RequestHandler } from "express";
import client from "prom-client";
import { safeEqual } from "./safe-equal.js";

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<"method" | "route" | "status">;
  cacheRequests: client.Counter<"cache" | "result">;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new client.Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by method, route and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    cacheRequests: new client.Counter({
      name: "cache_requests_total",
      help: "Cache-aside lookups by cache name and result (hit, miss, error)",
      labelNames: ["cache", "result"] as const,
      registers: [registry],
    }),
  };
}

export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on("finish", () => {
      // The matched route pattern keeps label cardinality bounded; unmatched paths share one label.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * GET /metrics for the scraper only: route names, status counts and timings help an attacker map
 * the site. Without a configured token it is not served (404); with one, a request without the
 * right `Authorization: Bearer <token>` gets 401.
 */
export function metricsEndpoint(registry: client.Registry, token: string | undefined): RequestHandler {
  return async (req, res, next) => {
    if (!token) return next();
    const auth = req.get("authorization") ?? "";
    const given = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length) : undefined;
    if (!safeEqual(given, token)) return void res.status(401).set("WWW-Authenticate", "Bearer").type("text").send("401 Unauthorized\n");
    res.type(registry.contentType).send(await registry.metrics());
  };
}
