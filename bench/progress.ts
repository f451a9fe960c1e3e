// Progress-save benchmark: 100 viewers (one session and profile each) POST /progress as fast as
// they can, with every fifth save deliberately stale. Prints saves/s and p99 next to the catalog
// benchmark's baseline, then writes the buffered saves and checks every stored position: the
// newest save of each viewer must have won and no stale save may have landed. Run by bench/run.ts, or alone:
//   BENCH_SECONDS=10 npx tsx bench/progress.ts
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { Types } from "mongoose";
import type { Deps } from "../src/deps.js";
import { hashPassword } from "../src/services/accounts/passwords.js";
import { flushProgress, flushesSettled } from "../src/services/watching/progress-buffer.js";
import { pacedLoad, type PacedResult } from "./paced.js";
import { cookieClient, formToken, startBenchEnvironment, type BenchEnvironment } from "./environment.js";

const VIEWERS = Number(process.env.BENCH_PROGRESS_CONNECTIONS ?? 100);
const PASSWORD = "correct horse 42";
const DURATION_SEC = 20_000;
const STALE_POSITION = 19_999; // never written by a fresh save (fresh positions stay below it)
const EVERY_STALE = 5;
/** The rate the latency target is set at. */
const TARGET_RATE = Number(process.env.BENCH_PROGRESS_RATE ?? 1000);

interface Viewer {
  cookie: string;
  csrf: string;
  slug: string;
  profileId: string;
  titleId: string;
  episodeKey: string;
  seq: number;
  lastTs: number;
  /** The newest fresh save the server has answered for this viewer. */
  ackedTs: number;
  pendingTs: number;
  pendingFresh: boolean;
}

const freshPosition = (ts: number) => (ts / 10) % (STALE_POSITION - 1);

/** The viewer's next save: 10 ms of player clock after the last, or every fifth one 50 ms stale. */
function nextSave(v: Viewer): { ts: number; fresh: boolean; headers: Record<string, string>; body: string } {
  v.seq += 1;
  const stale = v.seq % EVERY_STALE === 0 && v.lastTs > 50;
  const ts = stale ? v.lastTs - 50 : v.lastTs + 10;
  if (!stale) v.lastTs = ts;
  const position = stale ? STALE_POSITION : freshPosition(ts);
  return {
    ts,
    fresh: !stale,
    headers: { cookie: v.cookie, "x-csrf-token": v.csrf, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      slug: v.slug,
      episode: v.episodeKey,
      position: position.toFixed(1),
      duration: String(DURATION_SEC),
      ts: String(ts),
    }).toString(),
  };
}

async function signInViewer(base: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const client = cookieClient(base);
  await client.submit("/login", { email, password: PASSWORD });
  const page = await client.call("/browse"); // the first visit creates and enters the profile
  return { cookie: client.cookie(), csrf: /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? formToken(page) };
}

/** Every film and every episode of the demo catalog: one row per connection. */
async function playableRows(deps: Deps): Promise<{ slug: string; titleId: string; episodeKey: string }[]> {
  const titles = await deps.models.Title.find({ status: "published" }).select("slug kind seasons.number seasons.episodes.number").lean();
  return titles.flatMap((t) =>
    t.kind === "movie"
      ? [{ slug: t.slug, titleId: String(t._id), episodeKey: "main" }]
      : t.seasons.flatMap((s) => s.episodes.map((e) => ({ slug: t.slug, titleId: String(t._id), episodeKey: `s${s.number}e${e.number}` }))),
  );
}

/** `accounts` subscribers signed in (one session each); connection i saves its own row. */
async function makeViewers(base: string, deps: Deps, accounts: number): Promise<Viewer[]> {
  const rows = await playableRows(deps);
  if (rows.length < VIEWERS) throw new Error(`the catalog has ${rows.length} films and episodes; ${VIEWERS} are needed`);
  const passwordHash = await hashPassword(PASSWORD, deps.config.argon2);
  const stamp = `${Date.now()}.${accounts}`;
  const periodEnd = new Date(Date.now() + 30 * 86_400_000);
  const users = await deps.models.User.insertMany(
    Array.from({ length: accounts }, (_, i) => ({
      email: `progress.${stamp}.${i}@example.com`,
      displayName: `Viewer ${i}`,
      passwordHash,
      subscription: { plan: "standard", status: "active", currentPeriodEnd: periodEnd, activatedAt: new Date() },
    })),
  );
  const sessions: { cookie: string; csrf: string; profileId: string }[] = [];
  // A few sign-ins at a time: each is an argon2 check.
  for (let i = 0; i < users.length; i += 4) {
    const batch = users.slice(i, i + 4);
    const signedIn = await Promise.all(batch.map((u) => signInViewer(base, u.email)));
    for (const [j, u] of batch.entries()) {
      const profile = await deps.models.Profile.findOne({ userId: u._id }).lean();
      sessions.push({ ...signedIn[j]!, profileId: String(profile!._id) });
    }
  }
  return Array.from({ length: VIEWERS }, (_, i) => ({
    ...sessions[i % sessions.length]!,
    ...rows[i]!,
    seq: 0,
    lastTs: 0,
    ackedTs: 0,
    pendingTs: 0,
    pendingFresh: false,
  }));
}

/** Waits out the web process's flushes, then writes whatever is still buffered, until nothing is left. */
async function settleAndFlush(deps: Deps, flushServer: () => Promise<void>): Promise<void> {
  await flushServer();
  for (;;) {
    await flushesSettled(deps);
    if ((await flushProgress(deps)) === 0) {
      await flushesSettled(deps);
      if ((await flushProgress(deps)) === 0) return;
    }
  }
}

export interface ProgressBenchResult {
  savesPerSec: number;
  p50: number;
  p99: number;
  /** The same saves started on a schedule at the target rate. */
  paced: PacedResult;
  failed: number;
  checked: number;
  lostOrReordered: number;
  staleLanded: number;
}

export async function runProgressBench(opts: { env: BenchEnvironment; seconds: number; baselineRps: number; accounts: number }): Promise<ProgressBenchResult> {
  const { env, seconds, baselineRps, accounts } = opts;
  const { base, deps } = env;
  const viewers = await makeViewers(base, deps, accounts);
  const url = new URL(base);
  let nextClient = 0;
  const statuses = new Map<number, number>();
  /** Counts the status; an accepted fresh save is the newest position the viewer must end with (or later). */
  const answered = (v: Viewer, status: number, ts: number, fresh: boolean) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status === 200 && fresh) v.ackedTs = Math.max(v.ackedTs, ts);
  };
  // setupClient/requests are real autocannon options the shared typings (bench/autocannon.d.ts) leave out.
  const run = (duration: number) =>
    autocannon({
      url: base,
      connections: VIEWERS,
      duration,
      // Each connection is one viewer: its context carries the viewer's index across requests.
      setupClient: (client: { requestIterator: { initialContext: object; resetContext(): void; rebuildRequest(): void } }) => {
        client.requestIterator.initialContext = { i: nextClient++ % viewers.length };
        client.requestIterator.resetContext();
        client.requestIterator.rebuildRequest();
      },
      requests: [
        {
          method: "POST",
          path: "/progress",
          setupRequest: (req: Record<string, unknown>, ctx: { i?: number }) => {
            const v = viewers[ctx.i ?? 0]!;
            const save = nextSave(v);
            v.pendingTs = save.ts;
            v.pendingFresh = save.fresh;
            return { ...req, headers: { host: url.host, ...save.headers }, body: save.body };
          },
          onResponse: (status: number, _body: string, ctx: { i?: number }) => {
            const v = viewers[ctx.i ?? 0]!;
            answered(v, status, v.pendingTs, v.pendingFresh);
          },
        },
      ],
    } as unknown as Parameters<typeof autocannon>[0]);
  const phase = (name: string) => process.env.BENCH_DEBUG && console.log(`${new Date().toISOString().slice(11, 19)} ${name}`);
  phase("closed loop");
  await run(2); // warm-up
  const result = await run(seconds);
  phase("paced");
  // Then the latency at the target rate: saves start on a schedule, round-robin over the viewers.
  let turn = 0;
  const paced = await pacedLoad({
    base,
    rate: TARGET_RATE,
    seconds,
    warmupSeconds: 2,
    connections: VIEWERS,
    next: () => {
      const v = viewers[turn++ % viewers.length]!;
      const save = nextSave(v);
      return {
        method: "POST",
        path: "/progress",
        headers: save.headers,
        body: save.body,
        done: (status) => answered(v, status, save.ts, save.fresh),
      };
    },
  });
  phase("paced done");
  // Requests in flight when the load stopped have finished; write every buffered save.
  await settleAndFlush(deps, env.flushServer);

  let lostOrReordered = 0;
  let staleLanded = 0;
  for (const v of viewers) {
    const row = await deps.models.WatchProgress.findOne({
      profileId: new Types.ObjectId(v.profileId),
      titleId: new Types.ObjectId(v.titleId),
      episodeKey: v.episodeKey,
    }).lean();
    if (!row) {
      if (v.ackedTs > 0) lostOrReordered += 1;
      continue;
    }
    if (row.positionSec === STALE_POSITION) staleLanded += 1;
    else if (row.clientTs < v.ackedTs || row.clientTs > v.lastTs || Math.abs(row.positionSec - freshPosition(row.clientTs)) > 0.05) {
      lostOrReordered += 1;
      if (process.env.BENCH_DEBUG && lostOrReordered <= 3)
        console.log("mismatch", { stored: [row.clientTs, row.positionSec], acked: v.ackedTs, last: v.lastTs, expected: freshPosition(row.clientTs) });
    }
  }
  const out: ProgressBenchResult = {
    savesPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    paced,
    failed: result.non2xx + result.errors + result.timeouts + paced.failed,
    checked: viewers.length,
    lostOrReordered,
    staleLanded,
  };
  const who = accounts === 1 ? "one account, like the baseline" : `${accounts} accounts`;
  const line = (name: string, rps: number, p50: number, p99: number) =>
    console.log(
      `${name.padEnd(34)}${rps.toFixed(0).padStart(10)}${String(p50).padStart(9)}${String(p99).padStart(9)}${`${((rps / baselineRps) * 100).toFixed(0)}%`.padStart(13)}`,
    );
  console.log(`\nprogress saves: ${VIEWERS} connections, each saving its own row (${who}; every ${EVERY_STALE}th save stale), ${seconds} s each`);
  console.log(`${"POST /progress".padEnd(34)}${"saves/s".padStart(10)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"vs baseline".padStart(13)}`);
  line("as fast as it answers", out.savesPerSec, out.p50, out.p99);
  line(`at ${TARGET_RATE}/s on a schedule`, paced.achievedRate, paced.p50, paced.p99);
  if (out.failed) console.warn(`  ${out.failed} failed responses (non-2xx/errors/timeouts); statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  console.log(`final positions: ${out.checked} viewers checked, ${out.lostOrReordered} lost or reordered, ${out.staleLanded} stale saves stored`);
  // Throughput is the closed-loop figure; latency is taken at the target rate, where 100
  // connections do not queue behind each other by construction (at saturation, p99 is queueing).
  const ok =
    out.savesPerSec >= TARGET_RATE &&
    paced.achievedRate >= TARGET_RATE * 0.98 &&
    paced.p99 < 50 &&
    out.lostOrReordered === 0 &&
    out.staleLanded === 0 &&
    out.failed === 0;
  console.log(`progress target (>= ${TARGET_RATE} saves/s; p99 < 50 ms at ${TARGET_RATE}/s; nothing lost or reordered): ${ok ? "met" : "NOT met"}`);
  return out;
}

/** Account counts to run: one (the baseline's shape) and one per connection (BENCH_PROGRESS_ACCOUNTS=1,100). */
export function progressAccounts(): number[] {
  return (process.env.BENCH_PROGRESS_ACCOUNTS ?? `1,${VIEWERS}`)
    .split(",")
    .map(Number)
    .filter((n) => n >= 1);
}

/** Standalone: the same environment and baseline as bench/run.ts, then only the progress benchmark. */
async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const env = await startBenchEnvironment();
  const { base, deps } = env;
  const [first] = await Promise.all([signInBaseline(base, deps)]);
  await autocannon({ url: `${base}/__baseline-app`, connections: 50, duration: 2, headers: { cookie: first } });
  const baseline = await autocannon({ url: `${base}/__baseline-app`, connections: 50, duration: seconds, headers: { cookie: first } });
  console.log(
    `${env.webProcesses} web processes; baseline (the app, trivial page), 50 connections: ${baseline.requests.average.toFixed(0)} req/s, p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`,
  );
  for (const accounts of progressAccounts()) await runProgressBench({ env, seconds, baselineRps: baseline.requests.average, accounts });
  await env.close();
}

async function signInBaseline(base: string, deps: Deps): Promise<string> {
  const email = `baseline.${Date.now()}@example.com`;
  await deps.models.User.create({ email, displayName: "Baseline", passwordHash: await hashPassword(PASSWORD, deps.config.argon2) });
  return (await signInViewer(base, email)).cookie;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error("bench failed:", err);
    process.exit(1);
  });
}
