// npx tsx bench/tracing-ab.ts: what tracing costs on /browse. One database and Redis, two web
// servers side by side (one process each, like one replica): tracing off, and tracing on
// exporting protobuf to a sink on loopback. Short autocannon runs alternate between them
// (off, on, off, on, ...) so both see the same machine; prints req/s and latency per run and
// the median of each, and the CPU time the web process spent per request (read from /proc: on a
// busy machine req/s swing with everything else that runs, CPU per request much less).
// TRACING_AB_ROUNDS (3), TRACING_AB_SECONDS (5), TRACING_AB_CONNECTIONS (20).
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { loadConfig } from "../src/config.js";
import { closeDeps, createDeps } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { seedDemoCatalog } from "../src/services/catalog/seed.js";
import { startFerretDb, startRedis } from "../tools/local-services.js";
import { catalogTitles, createSessions, createSubscribers, REALISTIC } from "./dataset.js";
import { startOtlpSink } from "./otlp-sink.js";
import { benchServerEnv } from "./environment.js";

const ROUNDS = Number(process.env.TRACING_AB_ROUNDS ?? 3);
const SECONDS = Number(process.env.TRACING_AB_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.TRACING_AB_CONNECTIONS ?? 20);

function startServer(env: Record<string, string>, tracing: boolean): Promise<{ child: ChildProcess; base: string }> {
  const child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), {
    env: { ...process.env, ...env, BENCH_WEB_PROCESSES: "1" },
    execArgv: ["--import", "tsx", ...(tracing ? ["--import", fileURLToPath(new URL("../src/tracing/register.ts", import.meta.url))] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (msg) => resolve({ child, base: `http://127.0.0.1:${(msg as { port: number }).port}` }));
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
}

/** User + system CPU milliseconds of a process and its children (the cluster's web process), from /proc. */
function cpuMs(pid: number): number {
  const ticks = (p: number) => {
    const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return ([pid, ...children].reduce((sum, p) => sum + ticks(p), 0) * 1000) / 100;
}

async function load(base: string, cookies: string[], seconds: number, pid?: number) {
  const cpu0 = pid ? cpuMs(pid) : 0;
  let next = 0;
  const r = await autocannon({
    url: `${base}/browse`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "GET",
        path: "/browse",
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, "accept-encoding": "gzip, deflate, br", cookie: cookies[next++ % cookies.length]! } }),
      },
    ],
  });
  const cpuPerRequest = pid ? (cpuMs(pid) - cpu0) / Math.max(1, (r.requests as unknown as { total: number }).total) : 0;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts, cpuPerRequest };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(path.join(os.tmpdir(), "netflix-tracing-ab-"));
const [db, redis] = await Promise.all([startFerretDb({ dir: path.join(dir, "db") }), startRedis({ dir: path.join(dir, "redis") })]);
const sink = await startOtlpSink();
const env = benchServerEnv(db.url, redis.url);
const deps = await createDeps(loadConfig(env), { name: "bench", logger: createLogger("silent") });
try {
  await seedDemoCatalog(deps);
  const titles = await catalogTitles(deps);
  const profiles = await createSubscribers(deps, titles, { accounts: 100, profilesPerAccount: [1, 1], history: REALISTIC, label: "ab" });
  const cookies = await createSessions(deps, profiles);
  const off = await startServer(env, false);
  const on = await startServer({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }, true);
  // Warm both (caches, JIT), then alternate.
  await load(off.base, cookies, 5);
  await load(on.base, cookies, 5);
  const results = { off: [] as Awaited<ReturnType<typeof load>>[], on: [] as Awaited<ReturnType<typeof load>>[] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, server] of [
      ["off", off],
      ["on", on],
    ] as const) {
      const r = await load(server.base, cookies, SECONDS, server.child.pid);
      results[name].push(r);
      console.log(
        `round ${i + 1} tracing ${name.padEnd(3)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  CPU ${r.cpuPerRequest.toFixed(2)} ms/request  non-2xx/errors ${r.bad}`,
      );
    }
  }
  const offRps = median(results.off.map((r) => r.rps));
  const onRps = median(results.on.map((r) => r.rps));
  console.log(`median /browse: off ${offRps.toFixed(0)} req/s, on ${onRps.toFixed(0)} req/s (${(((onRps - offRps) / offRps) * 100).toFixed(1)}%)`);
  console.log(`median p50: off ${median(results.off.map((r) => r.p50))} ms, on ${median(results.on.map((r) => r.p50))} ms`);
  const offCpu = median(results.off.map((r) => r.cpuPerRequest));
  const onCpu = median(results.on.map((r) => r.cpuPerRequest));
  console.log(`median CPU per request: off ${offCpu.toFixed(2)} ms, on ${onCpu.toFixed(2)} ms (+${(((onCpu - offCpu) / offCpu) * 100).toFixed(1)}%)`);
  console.log(`exports received: ${sink.exports()} (${(sink.bytes() / 1024).toFixed(0)} KiB)`);
  for (const s of [off, on]) {
    s.child.send("stop");
    await new Promise((r) => s.child.once("exit", r));
  }
} finally {
  await closeDeps(deps);
  await Promise.all([db.stop(), redis.stop(), sink.close()]);
  rmSync(dir, { recursive: true, force: true });
}
