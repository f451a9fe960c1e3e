// npx tsx bench/tracing-ab.ts: what tracing costs on /browse. One database and Redis, web
// servers side by side (one process each, like one replica): tracing off, and tracing on at each
// sampling ratio of TRACING_AB_RATIOS (OTEL_TRACES_SAMPLER_ARG; default "1,0.1"; "off" adds a
// second untraced server, a control for what two identical servers differ by), exporting
// protobuf to a sink on loopback. Every round loads all of them at once with short autocannon
// runs (TRACING_AB_TURNS=1: one after the other, the order rotating every round), so each
// round's servers see the same machine at the same moment; prints req/s, latency and the CPU time
// the web process spent per request (read from /proc: on a busy machine req/s swing with
// everything else that runs, CPU per request much less) for every run, then the median and
// range of each server and the median of the per-round ratios to "off".
// TRACING_AB_ROUNDS (3), TRACING_AB_SECONDS (5), TRACING_AB_CONNECTIONS (20 per server).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { loadConfig } from "../src/config.js";
import { closeDeps, createDeps } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { seedDemoCatalog } from "../src/services/catalog/seed.js";
import { startFerretDb, startRedis } from "../tools/local-services.js";
import { catalogTitles, createSessions, createSubscribers, REALISTIC } from "./dataset.js";
import { startOtlpSink } from "./otlp-sink.js";
import { benchServerEnv } from "./environment.js";
import { median } from "./figures.js";
import { startBenchServer, type BenchServer } from "./server-process.js";

const ROUNDS = Number(process.env.TRACING_AB_ROUNDS ?? 3);
const SECONDS = Number(process.env.TRACING_AB_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.TRACING_AB_CONNECTIONS ?? 20);
const RATIOS = (process.env.TRACING_AB_RATIOS ?? "1,0.1").split(",").map((r) => r.trim());
const TOGETHER = process.env.TRACING_AB_TURNS !== "1";

function startServer(env: Record<string, string>, tracing: boolean): Promise<BenchServer> {
  return startBenchServer({ env: { ...process.env, ...env, BENCH_WEB_PROCESSES: "1" }, tracing });
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
  const requests = (r.requests as unknown as { total: number }).total;
  const cpu = pid ? cpuMs(pid) - cpu0 : 0;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
    cpuPerRequest: cpu / Math.max(1, requests),
    cpuMs: cpu,
    requests,
  };
}

/** The first (q = 1) or third (q = 3) quartile, nearest rank. */
const quartile = (xs: number[], q: 1 | 3) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * q) / 4))]!;

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
      RATIOS.map(async (ratio) =>
        // "off" among the ratios: a second untraced server, the control (what two identical servers differ by).
        ratio === "off"
          ? { name: "off #2", ...(await startServer(env, false)) }
          : { name: `on ${ratio}`, ...(await startServer({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER_ARG: ratio }, true)) },
      ),
    )),
  ];
  // Warm all (caches, JIT), then measure. TOGETHER (the default): every round loads all servers
  // at the same time, so each round's figures saw the same machine at the same moment, whatever
  // else ran on it; otherwise they take turns, the order rotating every round.
  for (const server of servers) await load(server.base, cookies, 5);
  const results = new Map(servers.map((s) => [s.name, [] as Awaited<ReturnType<typeof load>>[]]));
  const report = (round: number, name: string, r: Awaited<ReturnType<typeof load>>) =>
    console.log(
      `round ${round} tracing ${name.padEnd(6)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  CPU ${r.cpuPerRequest.toFixed(3)} ms/request  non-2xx/errors ${r.bad}`,
    );
  for (let i = 0; i < ROUNDS; i++) {
    if (TOGETHER) {
      // The load generators start in a rotating order: none is always first.
      const order = servers.map((_, j) => servers[(i + j) % servers.length]!);
      const rs = await Promise.all(order.map((server) => load(server.base, cookies, SECONDS, server.child.pid)));
      order.forEach((server, j) => (results.get(server.name)!.push(rs[j]!), report(i + 1, server.name, rs[j]!)));
      continue;
    }
    for (let j = 0; j < servers.length; j++) {
      const server = servers[(i + j) % servers.length]!;
      const r = await load(server.base, cookies, SECONDS, server.child.pid);
      results.get(server.name)!.push(r);
      report(i + 1, server.name, r);
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
    // Pooled: all the CPU time over all the requests of the run.
    const pooled = (xs: typeof rs) => xs.reduce((sum, r) => sum + r.cpuMs, 0) / xs.reduce((sum, r) => sum + r.requests, 0);
    console.log(
      `${line}; against off, per round: CPU per request median ${pct(median(cpuRatios))} (middle half ${pct(quartile(cpuRatios, 1))} to ${pct(quartile(cpuRatios, 3))}, all ${pct(Math.min(...cpuRatios))} to ${pct(Math.max(...cpuRatios))}), req/s median ${pct(median(rpsRatios))} (${pct(Math.min(...rpsRatios))} to ${pct(Math.max(...rpsRatios))}); pooled CPU per request ${pct(pooled(rs) / pooled(off) - 1)}`,
    );
  }
  console.log(`exports received: ${sink.exports()} (${(sink.bytes() / 1024).toFixed(0)} KiB)`);
  for (const s of servers) await s.stop();
} finally {
  await closeDeps(deps);
  await Promise.all([db.stop(), redis.stop(), sink.close()]);
  rmSync(dir, { recursive: true, force: true });
}
