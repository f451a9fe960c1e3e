// npm run bench: autocannon on loopback against the real app (its own FerretDB + Redis, two web
// processes) on a realistic dataset the bench builds itself (bench/dataset.ts): the demo catalog
// grown to 2,000 titles, 1,000 accounts with 1-3 profiles each carrying a history, and load from
// hundreds of distinct signed-in sessions. Every target is a ratio to the baseline measured right
// before it in the same run: the same app answering a trivial page through its whole middleware
// chain. Prints, with pass/fail per target:
//   1. queries per request and single-request latency (in-process app, mongoose debug hook);
//   2. the realistic run: /browse with history and for a new profile, title dialog, title page,
//      genre page, search;
//   3. /browse req/s for history 0 / 30 / 300 rows x catalog 77 / 2,000 / 20,000 titles;
//   4. RSS of each web process after the realistic run (the target) and after every run;
//   5. progress saves, 5 runs (median and spread).
// BENCH_QUICK=1: a smaller, faster check (fewer accounts, shorter runs, catalogs 77 and 2,000).
// BENCH_ROUNDS, BENCH_SECONDS (per round), BENCH_SCALE_SECONDS, BENCH_CONNECTIONS, BENCH_ACCOUNTS,
// BENCH_CATALOGS=77,2000,20000, BENCH_PROGRESS_RUNS, BENCH_PROGRESS_SECONDS.
import autocannon from "autocannon";
import { runProgressBench } from "./progress.js";
import { startBenchEnvironment, type BenchEnvironment } from "./environment.js";
import { catalogTitles, createSessions, createSubscribers, growCatalog, REALISTIC, type BenchTitle, type HistoryShape } from "./dataset.js";
import { median } from "./figures.js";
import { startQueryCounter } from "./queries.js";
import type { WebMemory } from "./server.js";

const QUICK = Boolean(process.env.BENCH_QUICK);
// Each target is measured in ROUNDS short rounds, each its own baseline then the target: the
// figure is the median round, so one slow or fast moment of a shared machine moves it little.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 5 : 7));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 2 : 3));
const SCALE_SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 2);
const PROGRESS_SECONDS = Number(process.env.BENCH_PROGRESS_SECONDS ?? (QUICK ? 4 : 8));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? (QUICK ? 250 : 1000));
const SESSIONS = Math.min(Number(process.env.BENCH_SESSIONS ?? 200), ACCOUNTS);
const CATALOGS = (process.env.BENCH_CATALOGS ?? (QUICK ? "77,2000" : "77,2000,20000")).split(",").map(Number);
const REALISTIC_CATALOG = 2000;
const PROGRESS_RUNS = Number(process.env.BENCH_PROGRESS_RUNS ?? (QUICK ? 1 : 5));
const HISTORIES = [0, 30, 300];

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

/** Load on one path, each request signed in as the next of `cookies` (distinct profiles). */
async function load(base: string, path: string, cookies: string[], seconds: number, headers: Record<string, string> = {}): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url: base + path,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "GET",
        path,
        // As browsers ask: compressed unless a target says otherwise.
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, "accept-encoding": "gzip, deflate, br", ...headers, cookie: cookies[next++ % cookies.length]! },
        }),
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts };
}

interface Target {
  path: string;
  cookies: string[];
  headers?: Record<string, string>;
}

/** A target's rounds: each its req/s, latencies and non-2xx, and the baseline measured just before it. */
type Rounds = (Measured & { baseline: number })[];

/** A target's figures: the median round (req/s, latencies, ratio to its baseline); non-2xx of all rounds. */
function summary(rounds: Rounds) {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    worstP99: Math.max(...rounds.map((r) => r.p99)),
    bad: rounds.reduce((n, r) => n + r.bad, 0),
    baseline: median(rounds.map((r) => r.baseline)),
    ratio: median(rounds.map((r) => r.rps / r.baseline)),
  };
}

type Summary = ReturnType<typeof summary>;

/**
 * Targets measured together in `rounds` rounds: in each, every target (in turn, the order
 * reversed every other round) right after a baseline of its own, with the same cookies. Each
 * target is warmed up once before the first round.
 */
async function measureRounds(base: string, targets: Target[], rounds: number, seconds: number): Promise<Rounds[]> {
  for (const t of targets) await load(base, t.path, t.cookies, 1, t.headers);
  const results: Rounds[] = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const t = targets[i]!;
      const baseline = await load(base, "/__baseline-app", t.cookies, seconds);
      results[i]!.push({ ...(await load(base, t.path, t.cookies, seconds, t.headers)), baseline: baseline.rps });
    }
  }
  return results;
}

/** How one target compares with another measured in the same rounds: each round's quotient of their ratios to baseline. */
function quotients(a: Rounds, b: Rounds): number[] {
  return a.map((r, i) => r.rps / r.baseline / (b[i]!.rps / b[i]!.baseline));
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const pad = (s: string | number, n: number) => String(s).padStart(n);
const verdict = (ok: boolean) => (ok ? "pass" : "FAIL");

/** Profiles with the given history, each with a session of its own; returns their cookies. */
async function cohort(env: BenchEnvironment, titles: BenchTitle[], accounts: number, history: HistoryShape, label: string, warmUp = true) {
  const profiles = await createSubscribers(env.deps, titles, {
    accounts,
    profilesPerAccount: [1, 1],
    history,
    label,
    seed: label.length * 31 + history.progress,
  });
  const cookies = await createSessions(env.deps, profiles);
  if (warmUp) await warm(env, cookies);
  return cookies;
}

/** One /browse per session, one at a time: measured viewers are returning ones, their state loaded. */
async function warm(env: BenchEnvironment, cookies: string[]) {
  const t = Date.now();
  let failed = 0;
  const queue = [...cookies];
  // A few at a time: each first visit loads the profile's state from the database.
  const worker = async () => {
    for (let cookie = queue.shift(); cookie; cookie = queue.shift()) {
      // Asking as the load does: kept pages are kept per encoding.
      const ok = await fetch(`${env.base}/browse`, { headers: { cookie, "accept-encoding": "gzip, deflate, br" } }).then(
        async (r) => (await r.text(), r.ok),
        () => false,
      );
      if (!ok) failed++;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const each = (Date.now() - t) / cookies.length;
  console.log(
    `  first visits of ${cookies.length} sessions (state loaded from the database): ${(each / 1000).toFixed(2)} s each at 4 at a time${failed ? `, ${failed} failed` : ""}`,
  );
}

async function printQueries(env: BenchEnvironment, cookies: { name: string; cookie: string }[], titles: BenchTitle[]) {
  const counter = await startQueryCounter(env.deps);
  const slug = titles.find((t) => t.kind === "series")?.slug ?? titles[0]!.slug;
  const pages = [
    { name: "/browse", path: "/browse" },
    { name: "title dialog", path: `/title/${slug}`, headers: { "hx-request": "true", "hx-target": "title-dialog" } },
    { name: "title page", path: `/title/${slug}` },
    { name: "genre page", path: "/genre/drama" },
    { name: "search", path: "/search?q=night" },
  ];
  console.log(`\nqueries per request (second request of each, in-process app) and its latency`);
  console.log(`${"page".padEnd(16)}${cookies.map((c) => pad(c.name, 24)).join("")}`);
  for (const page of pages) {
    const cells = [];
    for (const { cookie } of cookies) {
      const r = await counter.count(page.path, cookie, page.headers);
      cells.push(pad(`${r.total} q, ${r.ms.toFixed(1)} ms${r.status === 200 ? "" : ` (${r.status})`}`, 24));
    }
    console.log(`${page.name.padEnd(16)}${cells.join("")}`);
  }
  await counter.close();
}

async function main() {
  const started = Date.now();
  const env = await startBenchEnvironment();
  const { base, deps } = env;
  try {
    console.log(
      `${env.webProcesses} web processes; ${CONNECTIONS} connections; each target in ${ROUNDS} rounds of ${SECONDS} s (scaling cells ${SCALE_SECONDS} s), each round after its own baseline; figures are the median round`,
    );
    const scaling = new Map<number, Map<number, Summary>>();
    let realisticDone = false;
    for (const size of CATALOGS) {
      await settle(env);
      let t = Date.now();
      const total = await growCatalog(deps, size);
      const titles = await catalogTitles(deps);
      console.log(
        `\ncatalog: ${total} titles (${titles.filter((x) => x.kind === "series").length} series), built in ${((Date.now() - t) / 1000).toFixed(1)} s`,
      );
      const first = await cohort(env, titles, 1, { progress: 0, myList: 0, ratings: 0, notifications: 0 }, `first${size}`, false);
      // The first request computes the catalog's rows and index for this size (once per generation).
      t = Date.now();
      // It may outlast the request deadline (503) on a large catalog: ask again until it is ready.
      for (let ready = false; !ready && Date.now() - t < 300_000;)
        ready = await fetch(`${base}/browse`, { headers: { cookie: first[0]! } }).then(
          async (r) => (await r.text(), r.ok),
          () => false,
        );
      console.log(`first /browse after the catalog changed (rows and index computed): ${((Date.now() - t) / 1000).toFixed(1)} s`);
      // Scaling cohorts: 20 profiles per history size, each signed in on its own session.
      const cohorts = new Map<number, string[]>();
      for (const rows of HISTORIES)
        cohorts.set(
          rows,
          await cohort(env, titles, 20, { progress: rows, myList: rows ? 10 : 0, ratings: rows ? 10 : 0, notifications: rows ? 3 : 0 }, `h${rows}c${size}`),
        );

      if (size === REALISTIC_CATALOG && !realisticDone) {
        realisticDone = true;
        await realisticRun(env, titles, cohorts.get(0)!);
        printMemory("after the realistic run (2,000 titles)", await env.webRss(), true);
      }
      const cells = await measureRounds(
        base,
        HISTORIES.map((rows) => ({ path: "/browse", cookies: cohorts.get(rows)! })),
        ROUNDS,
        SCALE_SECONDS,
      );
      scaling.set(total, new Map(HISTORIES.map((rows, i) => [rows, summary(cells[i]!)])));
    }
    printScaling(scaling);
    printMemory(`after every run (the largest catalog, ${CATALOGS.at(-1)} titles, in memory)`, await env.webRss(), false);
    await progressRuns(env);
  } finally {
    await env.close();
  }
  console.log(`\nbench took ${((Date.now() - started) / 60_000).toFixed(1)} min`);
}

/** Waits (up to 30 s) until the database answers a primary-key read quickly: load just ended. */
async function settle(env: BenchEnvironment) {
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    const t = performance.now();
    await env.deps.models.Title.findById("000000000000000000000000").lean();
    if (performance.now() - t < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function realisticRun(env: BenchEnvironment, titles: BenchTitle[], newCookies: string[]) {
  const t = Date.now();
  const profiles = await createSubscribers(env.deps, titles, { accounts: ACCOUNTS, history: REALISTIC, label: "subscriber" });
  // Sessions for a spread of the profiles (every k-th), so load comes from distinct accounts.
  const step = Math.max(1, Math.floor(profiles.length / SESSIONS));
  const cookies = await createSessions(
    env.deps,
    profiles.filter((_, i) => i % step === 0),
  );
  console.log(
    `realistic dataset: ${ACCOUNTS} accounts, ${profiles.length} profiles (30 progress rows, 10 My List, 10 ratings each; 3 unread notifications per account), ${cookies.length} signed-in sessions; built in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
  await printQueries(
    env,
    [
      { name: "with history", cookie: cookies[0]! },
      { name: "new profile", cookie: newCookies[0]! },
    ],
    titles,
  );
  // Every session's per-profile state is loaded once before measuring, as for returning viewers.
  await warm(env, cookies);
  const slug = titles.find((x) => x.kind === "series")?.slug ?? titles[0]!.slug;
  const targets: { name: string; path: string; cookies: string[]; min: number; headers?: Record<string, string> }[] = [
    { name: "/browse, with history", path: "/browse", cookies, min: 0.5 },
    { name: "/browse, new profiles", path: "/browse", cookies: newCookies, min: 0 },
    { name: "/browse, uncompressed", path: "/browse", cookies, min: 0, headers: { "accept-encoding": "identity" } },
    { name: "title dialog fragment", path: `/title/${slug}`, cookies, min: 0.5, headers: { "hx-request": "true", "hx-target": "title-dialog" } },
    { name: "title page", path: `/title/${slug}`, cookies, min: 0.5 },
    { name: "genre page", path: "/genre/drama", cookies, min: 0.5 },
    { name: "search ?q=night", path: "/search?q=night", cookies, min: 0.5 },
  ];
  const rounds = await measureRounds(env.base, targets, ROUNDS, SECONDS);
  const results = targets.map((target, i) => ({ ...target, ...summary(rounds[i]!) }));
  console.log(`\nrealistic run: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per target (median round)`);
  console.log(
    `${"target".padEnd(26)}${pad("req/s", 8)}${pad("p50", 6)}${pad("p99", 6)}${pad("worst", 7)}${pad("non-2xx", 9)}${pad("baseline", 10)}${pad("ratio", 7)}  target`,
  );
  for (const r of results) {
    const browse = r.name === "/browse, with history";
    const ok = r.ratio >= r.min && r.bad === 0 && (!browse || r.p99 < 100);
    const goal = r.min ? `>= 50%${browse ? ", p99 < 100 ms, 0 non-2xx" : ""}` : "(reference)";
    console.log(
      `${r.name.padEnd(26)}${pad(r.rps.toFixed(0), 8)}${pad(r.p50, 6)}${pad(r.p99, 6)}${pad(r.worstP99, 7)}${pad(r.bad, 9)}${pad(r.baseline.toFixed(0), 10)}${pad(pct(r.ratio), 7)}  ${goal}: ${r.min ? verdict(ok) : "-"}`,
    );
  }
  const [withHistory, fresh, uncompressed] = [rounds[0]!, rounds[1]!, rounds[2]!];
  console.log(`compression's cost on /browse: ${pct(median(quotients(withHistory, uncompressed)))} of the uncompressed ratio`);
  const perRound = quotients(withHistory, fresh);
  const rel = median(perRound);
  const each = perRound.map(pct).join(", ");
  console.log(
    `/browse with history vs a new profile (each as a ratio to its baseline, round by round: ${each}): ${pct(rel)} (target >= 85%): ${verdict(rel >= 0.85)}`,
  );
}

function printScaling(scaling: Map<number, Map<number, Summary>>) {
  console.log(`\n/browse req/s (ratio to its baseline) by history rows x catalog size; target: flat within 20%`);
  console.log(`${"catalog".padEnd(10)}${HISTORIES.map((h) => pad(`${h} rows`, 20)).join("")}`);
  const ratios: number[] = [];
  for (const [size, row] of scaling) {
    const cells = HISTORIES.map((h) => {
      const m = row.get(h)!;
      ratios.push(m.ratio);
      return pad(`${m.rps.toFixed(0)} (${pct(m.ratio)})${m.bad ? ` ${m.bad} bad` : ""}`, 20);
    });
    console.log(`${String(size).padEnd(10)}${cells.join("")}`);
  }
  const spread = Math.min(...ratios) / Math.max(...ratios);
  console.log(`lowest cell / highest cell (ratios to baseline): ${pct(spread)} (target >= 80%): ${verdict(spread >= 0.8)}`);
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

/** Each web process's memory as it was, then after a full collection; `target`: judged against the 300 MB goal. */
function printMemory(when: string, rss: WebMemory[], target: boolean) {
  const ok = rss.every((m) => m.rss < 300 * 1024 * 1024);
  console.log(
    `\nRSS of each web process ${when}: ${rss.map((m) => `${mb(m.rss)} (JS heap ${mb(m.heapUsed)}, buffers ${mb(m.external)})`).join(", ")}` +
      (target ? ` (target < 300 MB): ${verdict(ok)}` : ` (${ok ? "under" : "over"} 300 MB)`) +
      `\n  after a full garbage collection: ${rss.map((m) => `RSS ${mb(m.rssAfterGc)}, live JS heap ${mb(m.liveHeap)} in ${mb(m.heapHeld)} held by V8, buffers ${mb(m.buffersAfterGc)}`).join("; ")}`,
  );
}

async function progressRuns(env: BenchEnvironment) {
  const p99s: number[] = [];
  let lost = 0;
  for (let i = 0; i < PROGRESS_RUNS; i++) {
    const baseline = await load(env.base, "/__baseline-app", [""], PROGRESS_SECONDS);
    const result = await runProgressBench({ env, seconds: PROGRESS_SECONDS, baselineRps: baseline.rps, accounts: 100 });
    p99s.push(result.paced.p99);
    lost += result.lostOrReordered + result.staleLanded;
  }
  const mid = median(p99s);
  console.log(
    `\nprogress saves at 1,000/s over 100 connections, ${PROGRESS_RUNS} runs: p99 median ${mid} ms, spread ${Math.min(...p99s)}-${Math.max(...p99s)} ms; lost or reordered ${lost} (target p99 < 50 ms, none lost): ${verdict(mid < 50 && lost === 0)}`,
  );
}

if (process.argv[1]?.endsWith("run.ts"))
  main().catch((err: unknown) => {
    console.error("bench failed:", err);
    process.exit(1);
  });
