// npx tsx bench/tracing-ab.ts: what tracing costs on /browse. One database and Redis, web
// servers side by side (one process each, like one replica): tracing off, and tracing on at each
// sampling ratio of TRACING_AB_RATIOS (OTEL_TRACES_SAMPLER_ARG; default "1,0.1"), exporting
// protobuf to a sink on loopback. Short autocannon runs take turns between them, the order
// rotating every round, so all see the same machine; prints req/s, latency and the CPU time the
// web process spent per request (read from /proc: on a busy machine req/s swing with
// everything else that runs, CPU per request much less) for every run, then the median and
// range of each server and the median of the per-round ratios to "off" (each round's servers
// ran within seconds of each other).
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
const RATIOS = (process.env.TRACING_AB_RATIOS ?? "1,0.1").split(",").map((r) => r.trim());

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
  const servers = [
    { name: "off", ...(await startServer(env, false)) },
    ...(await Promise.all(
      RATIOS.map(async (ratio) => ({
        name: `on ${ratio}`,
        ...(await startServer({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER_ARG: ratio }, true)),
      })),
    )),
  ];
  // Warm all (caches, JIT), then take turns.
  for (const server of servers) await load(server.base, cookies, 5);
  const results = new Map(servers.map((s) => [s.name, [] as Awaited<ReturnType<typeof load>>[]]));
  for (let i = 0; i < ROUNDS; i++) {
    for (let j = 0; j < servers.length; j++) {
      const server = servers[(i + j) % servers.length]!;
      const r = await load(server.base, cookies, SECONDS, server.child.pid);
      results.get(server.name)!.push(r);
      console.log(
        `round ${i + 1} tracing ${server.name.padEnd(6)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  CPU ${r.cpuPerRequest.toFixed(3)} ms/request  non-2xx/errors ${r.bad}`,
      );
    }
  }
  const off = results.get("off")!;
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  for (const [name, rs] of results) {
    const cpu = rs.map((r) => r.cpuPerRequest);
    const rps = rs.map((r) => r.rps);
    const line = `${name.padEnd(6)} CPU per request median ${median(cpu).toFixed(3)} ms (${Math.min(...cpu).toFixed(3)}-${Math.max(...cpu).toFixed(3)}), req/s median ${median(rps).toFixed(0)} (${Math.min(...rps).toFixed(0)}-${Math.max(...rps).toFixed(0)}), p50 median ${median(rs.map((r) => r.p50))} ms`;
    if (name === "off") {
      console.log(line);
      continue;
    }
    // Each round's ratio to the same round's "off": the machine's drift cancels out.
    const cpuRatios = rs.map((r, i) => r.cpuPerRequest / off[i]!.cpuPerRequest - 1);
    const rpsRatios = rs.map((r, i) => r.rps / off[i]!.rps - 1);
    console.log(
      `${line}; against off, per round: CPU per request median ${pct(median(cpuRatios))} (${pct(Math.min(...cpuRatios))} to ${pct(Math.max(...cpuRatios))}), req/s median ${pct(median(rpsRatios))} (${pct(Math.min(...rpsRatios))} to ${pct(Math.max(...rpsRatios))})`,
    );
  }
  console.log(`exports received: ${sink.exports()} (${(sink.bytes() / 1024).toFixed(0)} KiB)`);
  for (const s of servers) {
    s.child.send("stop");
    await new Promise((r) => s.child.once("exit", r));
  }
} finally {
  await closeDeps(deps);
  await Promise.all([db.stop(), redis.stop(), sink.close()]);
  rmSync(dir, { recursive: true, force: true });
}
