// The benchmark environment shared by bench/run.ts and bench/progress.ts: its own FerretDB and
// Redis, the demo catalog, and the app (bench/server.ts, compiled) in a child process on a loopback port,
// next to the baseline page every figure is compared with (the same session middleware and user
// lookup, answering a trivial page). The load generator stays in this process.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { closeDeps, createDeps } from "../src/deps.js";
import type { Deps } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { seedDemoCatalog } from "../src/services/catalog/seed.js";
import { startFerretDb, startRedis } from "../tools/local-services.js";
import { startOtlpSink } from "./otlp-sink.js";
import { startBenchServer } from "./server-process.js";
import type { WebMemory } from "./server.js";

export interface BenchEnvironment {
  /** Connections of this process to the same database and Redis: set-up and checks. */
  deps: Deps;
  base: string;
  titles: number;
  /** Web processes behind the port (BENCH_WEB_PROCESSES). */
  webProcesses: number;
  /** The web process writes its buffered progress saves, after its own flushes in flight. */
  flushServer(): Promise<void>;
  /** Resident memory (and the JavaScript heap in use) of each web process, in bytes. */
  webRss(): Promise<WebMemory[]>;
  /** Stops the web process (it writes its buffered saves first), then the servers. */
  close(): Promise<void>;
}

/** The app's configuration under benchmark: production mode against the bench's own servers, limits out of the way. */
export function benchServerEnv(dbUrl: string, redisUrl: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    COOKIE_SECURE: "false",
    MONGODB_URI: `${dbUrl.replace(/\/[^/]*$/, "")}/bench`,
    REDIS_URL: redisUrl,
    SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789",
    LOG_LEVEL: "silent",
    GENERAL_RATE_LIMIT_PER_MINUTE: "100000000",
    LOGIN_MAX_FAILURES_PER_IP: "100000",
  };
}

export async function startBenchEnvironment(): Promise<BenchEnvironment> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "netflix-bench-"));
  const [db, redis] = await Promise.all([startFerretDb({ dir: path.join(dir, "db") }), startRedis({ dir: path.join(dir, "redis") })]);
  const env = benchServerEnv(db.url, redis.url);
  const deps = await createDeps(loadConfig(env), { name: "bench", logger: createLogger("silent") });
  const seeded = await seedDemoCatalog(deps);

  // BENCH_TRACING=1: the web processes trace every request and export it (protobuf) to a sink here.
  const sink = process.env.BENCH_TRACING ? await startOtlpSink() : undefined;
  const tracing = sink ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } : {};
  const server = await startBenchServer({
    env: { ...process.env, ...env, ...tracing },
    tracing: Boolean(sink),
    profileDir: process.env.BENCH_SERVER_PROF,
    // Node/V8 flags for the web processes (memory experiments: BENCH_NODE_FLAGS="--max-semi-space-size=4").
    flags: process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean),
  });
  const { child } = server;

  return {
    deps,
    base: server.base,
    titles: seeded.total,
    webProcesses: server.processes,
    flushServer: () =>
      new Promise<void>((resolve, reject) => {
        child.once("message", (msg) => (msg === "flushed" ? resolve() : reject(new Error("the bench server's flush failed"))));
        child.send("flush");
      }),
    webRss: () =>
      new Promise<WebMemory[]>((resolve) => {
        const onMessage = (msg: unknown) => {
          if (msg && typeof msg === "object" && "rss" in msg) {
            child.off("message", onMessage);
            resolve((msg as { rss: WebMemory[] }).rss);
          }
        };
        child.on("message", onMessage);
        child.send("rss");
      }),
    close: async () => {
      await server.stop();
      await closeDeps(deps);
      await Promise.all([db.stop(), redis.stop(), sink?.close()]);
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
