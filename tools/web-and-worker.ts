// Runs and supervises the web server and the worker side by side (scripts/up). One that exits on
// its own is restarted with a growing delay (reset after it has stayed up a while); SIGINT/SIGTERM
// stop both, wait for them (they flush on the way out), then exit.
//   tsx tools/web-and-worker.ts            -> node dist/src/server.js + node dist/src/worker.js
//   SUPERVISE_ENTRIES=web=a.js,worker=b.js -> other entry files (tests)
import { NODE_FLAGS } from "../src/lib/node-flags.js";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// Output may go to a pipe whose reader is gone (`scripts/up | tee log`, then Ctrl-C stops tee
// too): a failed write must not end this process before it has stopped what it started.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);

const ROOT = path.resolve(import.meta.dirname, "..");
const DEFAULT_ENTRIES = "web=dist/src/server.js,worker=dist/src/worker.js";
const FIRST_DELAY_MS = Number(process.env.SUPERVISE_FIRST_DELAY_MS ?? 500);
const MAX_DELAY_MS = 30_000;
// A process that stayed up this long is considered healthy again: the next crash restarts fast.
const HEALTHY_AFTER_MS = 60_000;
// With an OTLP endpoint the processes load the tracing register module first; without one,
// nothing of OpenTelemetry's SDK is loaded.
const TRACING_ARGS = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? ["--import", path.join(ROOT, "dist/src/tracing/register.js")] : [];

interface Supervised {
  name: string;
  entry: string;
  child: ChildProcess | null;
  delayMs: number;
  restartTimer: NodeJS.Timeout | null;
}

const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.error(JSON.stringify({ level: 40, time: Date.now(), name: "supervisor", msg, ...fields }));

const entries = (process.env.SUPERVISE_ENTRIES ?? DEFAULT_ENTRIES).split(",").map((pair): Supervised => {
  const [name = "", entry = ""] = pair.split("=");
  return { name, entry: path.resolve(ROOT, entry), child: null, delayMs: FIRST_DELAY_MS, restartTimer: null };
});
let stopping = false;

function start(proc: Supervised): void {
  const startedAt = Date.now();
  // Own process group: a terminal's Ctrl-C reaches the supervisor only, which stops these in order.
  const child = spawn(process.execPath, [...NODE_FLAGS, ...TRACING_ARGS, proc.entry], { stdio: "inherit", env: process.env, detached: true });
  proc.child = child;
  log(`${proc.name} started`, { pid: child.pid });
  child.once("exit", (code, signal) => {
    proc.child = null;
    if (stopping) return void maybeExit();
    if (Date.now() - startedAt > HEALTHY_AFTER_MS) proc.delayMs = FIRST_DELAY_MS;
    log(`${proc.name} exited unexpectedly; restarting`, { code, signal, restartInMs: proc.delayMs });
    proc.restartTimer = setTimeout(() => {
      proc.restartTimer = null;
      if (!stopping) start(proc);
    }, proc.delayMs);
    proc.delayMs = Math.min(proc.delayMs * 2, MAX_DELAY_MS);
  });
}

function maybeExit(): void {
  if (entries.every((p) => p.child === null)) {
    log("all stopped");
    process.exit(0);
  }
}

function stopAll(): void {
  if (stopping) return;
  stopping = true;
  log("stopping web and worker");
  for (const proc of entries) {
    if (proc.restartTimer) clearTimeout(proc.restartTimer);
    proc.child?.kill("SIGTERM");
  }
  maybeExit();
}

for (const proc of entries) start(proc);
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);
process.on("SIGHUP", stopAll);
