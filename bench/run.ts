// npm run bench: autocannon on loopback against the real app (local FerretDB + Redis, demo catalog,
// a signed-in cookie) for /browse, the title dialog fragment and search, each right after a run of
// the baseline against the same web processes:
//   - "baseline": the same Express app answering a trivial page through the same session
//     middleware (and the rest of its chain). The targets are ratios to this one.
//   - "session + user only": a trivial page behind nothing but the session middleware and the
//     user lookup, in a bare Express app: the floor, printed for comparison.
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 npm run bench
import autocannon from "autocannon";
import { progressAccounts, runProgressBench } from "./progress.js";
import { cookieClient, startBenchEnvironment } from "./environment.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Target {
  name: string;
  path: string;
  headers?: Record<string, string>;
}

/** Registers and signs in a fresh account; returns its cookie header. */
export async function signIn(base: string): Promise<string> {
  const client = cookieClient(base);
  const email = `bench.${Date.now()}@example.com`;
  const password = "correct horse 42";
  await client.submit("/register", { email, displayName: "Bench", password });
  await client.submit("/login", { email, password });
  await client.call("/browse"); // picks the only profile, as a first visit does
  return client.cookie();
}

async function measure(base: string, cookie: string, target: Target, seconds: number) {
  const result = await autocannon({
    url: base + target.path,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { cookie, ...target.headers },
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) console.warn(`  ${target.name}: ${bad} failed responses (non-2xx/errors/timeouts)`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main() {
  const env = await startBenchEnvironment();
  const { base } = env;
  const cookie = await signIn(base);

  const targets: Target[] = [
    { name: "baseline (the app, trivial)", path: "/__baseline-app" },
    { name: "session + user only", path: "/__baseline" },
    { name: "/browse", path: "/browse" },
    { name: "title dialog fragment", path: "/title/nosferatu-1922", headers: { "hx-request": "true", "hx-target": "title-dialog" } },
    { name: "/search?q=night", path: "/search?q=night" },
  ];
  // BENCH_ONLY=browse measures one target (and the session-only floor), e.g. for profiling.
  const only = process.env.BENCH_ONLY;
  if (only) targets.splice(2, targets.length, ...targets.slice(2).filter((t) => t.path.includes(only)));
  console.log(
    `demo catalog: ${env.titles} titles; ${env.webProcesses} web processes; ${CONNECTIONS} connections, ${SECONDS} s per target (after a 2 s warm-up)`,
  );
  // The speed of this kind of shared VM drifts by a quarter within minutes, so every target is
  // measured right after a baseline run of its own, and its ratio is to that baseline.
  const [baselineTarget, ...measured] = targets as [Target, ...Target[]];
  const run = async (target: Target) => {
    await measure(base, cookie, target, 2);
    return measure(base, cookie, target, SECONDS);
  };
  const rows: { name: string; rps: number; p50: number; p99: number; baseline: number }[] = [];
  for (const target of measured) {
    const { rps: baseline } = await run(baselineTarget);
    rows.push({ name: target.name, ...(await run(target)), baseline });
  }
  const ratio = (r: { rps: number; baseline: number }) => r.rps / r.baseline;
  const floor = rows.find((r) => r.name === "session + user only")!;
  console.log("");
  console.log(
    `${"target".padEnd(28)}${"req/s".padStart(10)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"baseline req/s".padStart(16)}${"vs baseline".padStart(13)}${"vs session only".padStart(17)}`,
  );
  for (const r of rows) {
    const cells = [r.rps.toFixed(0).padStart(10), String(r.p50).padStart(9), String(r.p99).padStart(9), r.baseline.toFixed(0).padStart(16)];
    console.log(
      `${r.name.padEnd(28)}${cells.join("")}${`${(ratio(r) * 100).toFixed(0)}%`.padStart(13)}${`${((ratio(r) / ratio(floor)) * 100).toFixed(0)}%`.padStart(17)}`,
    );
  }
  const browse = rows.find((r) => r.name === "/browse");
  if (browse) {
    const ok = ratio(browse) >= 0.5 && browse.p99 < 100;
    console.log(`\n/browse target (>= 50% of baseline req/s, p99 < 100 ms): ${ok ? "met" : "NOT met"}`);
  }
  // Progress saves at 100 connections against the same baseline (bench/progress.ts).
  if (!only || only === "progress")
    for (const accounts of progressAccounts()) {
      const { rps: baselineRps } = await run(baselineTarget);
      console.log(`\nbaseline just before: ${baselineRps.toFixed(0)} req/s`);
      await runProgressBench({ env, seconds: SECONDS, baselineRps, accounts });
    }

  await env.close();
}

if (process.argv[1]?.endsWith("run.ts"))
  main().catch((err: unknown) => {
    console.error("bench failed:", err);
    process.exit(1);
  });
