// The benchmark environment shared by bench/run.ts and bench/progress.ts: its own FerretDB and
// Redis, the demo catalog, and the app on a loopback port next to the baseline page every figure
// is compared with (the same session middleware and user lookup, answering a trivial page).
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { loadCurrentUser } from "../src/lib/auth.js";
import { closeDeps, createDeps } from "../src/lib/bootstrap.js";
import type { Deps } from "../src/lib/deps.js";
import { notFoundHandler } from "../src/lib/error-handler.js";
import { createLogger } from "../src/lib/logger.js";
import { createSessionMiddleware, sessionLimits } from "../src/lib/session.js";
import { seedDemoCatalog } from "../src/services/catalog-seed.js";
import { startFerretDb, startRedis } from "../tools/local-services.js";

export interface BenchEnvironment {
  deps: Deps;
  base: string;
  titles: number;
  close(): Promise<void>;
}

/**
 * `appChainReference` adds /__baseline-app: the same trivial page behind the app's whole
 * middleware chain (logging, headers, rate limit, locale, CSRF token, profile, notification
 * count), so the difference to /browse is the catalog page's own cost.
 */
export async function startBenchEnvironment(opts: { appChainReference?: boolean } = {}): Promise<BenchEnvironment> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "netflix-bench-"));
  const [db, redis] = await Promise.all([startFerretDb({ dir: path.join(dir, "db") }), startRedis({ dir: path.join(dir, "redis") })]);
  const config = loadConfig({
    NODE_ENV: "production",
    COOKIE_SECURE: "false",
    MONGODB_URI: `${db.url.replace(/\/[^/]*$/, "")}/bench`,
    REDIS_URL: redis.url,
    SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789",
    LOG_LEVEL: "silent",
    GENERAL_RATE_LIMIT_PER_MINUTE: "100000000",
    LOGIN_MAX_FAILURES_PER_IP: "100000",
  });
  const deps = await createDeps(config, { name: "bench", logger: createLogger("silent") });
  const seeded = await seedDemoCatalog(deps);

  const outer = express();
  outer.set("trust proxy", 0);
  outer.get("/__baseline", createSessionMiddleware(config, deps.redis), sessionLimits(config, deps.redis), loadCurrentUser(deps), (req, res) => {
    res.type("html").send(`<!doctype html><title>ok</title><p>${req.user ? "signed in" : "anonymous"}</p>`);
  });
  const app = createApp(deps);
  if (opts.appChainReference) {
    app.get("/__baseline-app", (_req, res) => void res.type("html").send("<!doctype html><title>ok</title><p>ok</p>"));
    // Move the route just added in front of the 404 handler.
    const stack = (app as unknown as { router: { stack: { handle: unknown }[] } }).router.stack;
    const notFound = stack.findIndex((l) => l.handle === notFoundHandler);
    stack.splice(notFound, 0, stack.pop()!);
  }
  outer.use(app);
  const server = outer.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));

  return {
    deps,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    titles: seeded.total,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await closeDeps(deps);
      await Promise.all([db.stop(), redis.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client for the benchmarks: fetch with a cookie jar and the page's CSRF token. */
export function cookieClient(base: string) {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const call = async (p: string, body?: Record<string, string>): Promise<string> => {
    const res = await fetch(base + p, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: { cookie: cookie(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body: body ? new URLSearchParams(body).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [k, v] = c.split(";")[0]!.split("=");
      jar.set(k!, v!);
    }
    return res.text();
  };
  /** Posts a form with the CSRF token taken from a fresh GET of the same page. */
  const submit = async (p: string, fields: Record<string, string>) => call(p, { _csrf: formToken(await call(p)), ...fields });
  return { call, submit, cookie };
}

export const formToken = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
