// npx tsx bench/tracing-profile.ts: where tracing's cost on /browse goes. Same set-up as
// bench/tracing-ab.ts, then (1) a web process with tracing on exporting OTLP/JSON to a decoding
// receiver serves a few /browse requests, and the spans of each trace are counted by name;
// (2) a web process with tracing off and one with it on (protobuf to the sink) each serve
// /browse under load with `--cpu-prof`, and the busy time of each profile is summed by package.
// TRACING_PROFILE_SECONDS (10), TRACING_PROFILE_RATIO (OTEL_TRACES_SAMPLER_ARG of the profiled
// server, 1), TRACING_PROFILE_DIR (where the profiles are kept; a temporary directory otherwise),
// TRACING_PROFILE_COUNT_ONLY (only count spans).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { loadConfig } from "../src/config.js";
import { closeDeps, createDeps } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { seedDemoCatalog } from "../src/services/catalog/seed.js";
import { startFerretDb, startRedis } from "../tools/local-services.js";
import { startOtlpReceiver } from "../tests/support/otlp-receiver.js";
import { catalogTitles, createSessions, createSubscribers, REALISTIC } from "./dataset.js";
import { benchServerEnv } from "./environment.js";
import { startBenchServer, type BenchServer } from "./server-process.js";
import { startOtlpSink } from "./otlp-sink.js";

const SECONDS = Number(process.env.TRACING_PROFILE_SECONDS ?? 10);

function startServer(env: Record<string, string>, tracing: boolean, profileDir?: string): Promise<BenchServer> {
  return startBenchServer({ env: { ...process.env, ...env, BENCH_WEB_PROCESSES: "1" }, tracing, profileDir });
}

async function load(base: string, cookies: string[], seconds: number, connections = 20) {
  let next = 0;
  return autocannon({
    url: `${base}/browse`,
    connections,
    duration: seconds,
    requests: [
      {
        method: "GET",
        path: "/browse",
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, "accept-encoding": "gzip, deflate, br", cookie: cookies[next++ % cookies.length]! } }),
      },
    ],
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Self time of a .cpuprofile summed by where the code lives (a package, the app, node itself). */
function summarize(file: string, from: number, to: number) {
  const prof = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Only the samples taken while the measured load ran (both clocks are the system's monotonic one, in µs).
  let t = prof.startTime;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i] ?? 0;
    if (t >= from && t <= to) self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  });
  const where = (n: ProfileNode) => {
    const { url, functionName } = n.callFrame;
    if (!url) return functionName.startsWith("(") ? functionName : "(native)";
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1]!;
    if (url.startsWith("node:")) return "node:" + url.slice(5).split("/")[0];
    return "app:" + (/\/(src|bench)\/(.*)$/.exec(url)?.[2] ?? url);
  };
  const totals = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const w = where(n);
    totals.set(w, (totals.get(w) ?? 0) + us);
    if (w !== "(idle)") busy += us;
    const key = `${w} ${n.callFrame.functionName || "(anonymous)"}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  return { busy, totals, fns };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "netflix-tracing-profile-"));
const profileRoot = process.env.TRACING_PROFILE_DIR ?? path.join(dir, "profiles");
const [db, redis] = await Promise.all([startFerretDb({ dir: path.join(dir, "db") }), startRedis({ dir: path.join(dir, "redis") })]);
const sink = await startOtlpSink();
const receiver = await startOtlpReceiver();
const env = benchServerEnv(db.url, redis.url);
const deps = await createDeps(loadConfig(env), { name: "bench", logger: createLogger("silent") });
try {
  await seedDemoCatalog(deps);
  const titles = await catalogTitles(deps);
  const profiles = await createSubscribers(deps, titles, { accounts: 100, profilesPerAccount: [1, 1], history: REALISTIC, label: "prof" });
  const cookies = await createSessions(deps, profiles);

  // (1) Spans per /browse request.
  const counted = await startServer(
    { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_BSP_SCHEDULE_DELAY: "100" },
    true,
  );
  for (const phase of ["cold", "warm"]) {
    receiver.spans.length = 0;
    for (const cookie of cookies.slice(0, 5)) await fetch(`${counted.base}/browse`, { headers: { cookie } }).then((r) => r.arrayBuffer());
    await new Promise((r) => setTimeout(r, 1500));
    const traces = new Set(receiver.spans.map((s) => s.traceId));
    const names = new Map<string, number>();
    for (const s of receiver.spans) names.set(s.name, (names.get(s.name) ?? 0) + 1);
    console.log(
      `${phase}: ${receiver.spans.length} spans in ${traces.size} traces (${(receiver.spans.length / Math.max(1, traces.size)).toFixed(1)} per trace)`,
    );
    for (const [name, n] of [...names].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / Math.max(1, traces.size)).toFixed(1).padStart(5)}  ${name}`);
    const traceless = receiver.spans.filter((s) => !s.parentSpanId && s.kind !== 2);
    if (traceless.length) console.log(`  and ${traceless.length} spans outside any request: ${[...new Set(traceless.map((s) => s.name))].join(", ")}`);
  }
  await counted.stop();

  // (2) CPU profiles under load.
  for (const mode of process.env.TRACING_PROFILE_COUNT_ONLY ? [] : (["off", "on"] as const)) {
    const out = path.join(profileRoot, mode);
    mkdirSync(out, { recursive: true });
    const server = await startServer(
      mode === "on" ? { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER_ARG: process.env.TRACING_PROFILE_RATIO ?? "1" } : env,
      mode === "on",
      out,
    );
    await load(server.base, cookies, 3);
    const from = Number(process.hrtime.bigint() / 1000n);
    const r = await load(server.base, cookies, SECONDS);
    const to = Number(process.hrtime.bigint() / 1000n);
    await server.stop();
    const files = readdirSync(out).map((f) => path.join(out, f));
    // The worker's profile is the bigger one (the primary only forks and relays).
    const biggest = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
    const { busy, totals, fns } = summarize(biggest, from, to);
    const requests = (r.requests as unknown as { total: number }).total;
    console.log(
      `\nfrom ${from} to ${to} µs (monotonic clock)\ntracing ${mode}: ${requests} requests, ${(busy / 1000).toFixed(0)} ms busy in the profile, ${(busy / 1000 / requests).toFixed(2)} ms per request (${biggest})`,
    );
    for (const [w, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000 / requests).toFixed(3)} ms/req  ${w}`);
    console.log("  top functions:");
    for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${f}`);
  }
} finally {
  await closeDeps(deps);
  await Promise.all([db.stop(), redis.stop(), sink.close(), receiver.close()]);
  if (!process.env.TRACING_PROFILE_DIR) rmSync(dir, { recursive: true, force: true });
}
