// Starts a local FerretDB, Redis and mail catcher on loopback, on free ports, and stops what it started.
// Used by vitest's global setup, by fault tests that stop a server mid-test, and by scripts/up:
//   tsx tools/local-services.ts --data .data -- node dist/src/server.js
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { writeLocalEnv } from "./local-env-file.js";
import { startMailCatcher } from "./mail-catcher.js";

// Output may go to a pipe whose reader is gone (`scripts/up | tee log`, then Ctrl-C stops tee
// too): a failed write must not end this process before it has stopped what it started.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);

const ROOT = path.resolve(import.meta.dirname, "..");
export const FERRETDB_BIN = path.join(ROOT, ".tools", "bin", "ferretdb");
export const JAEGER_BIN = path.join(ROOT, ".tools", "bin", "jaeger");

export interface LocalService {
  url: string;
  port: number;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL at once. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => (clearTimeout(kill), resolve()));
      child.kill("SIGTERM");
    });
}

/** Ends a server the hard way (kill -9), as a crash would; resolves once it has exited. */
function killer(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
}

function launch(cmd: string, args: string[], name: string): ChildProcess {
  // Own process group: a Ctrl-C in the terminal reaches only the process that started this one,
  // which then stops its servers in order (the app's last flush needs Redis still up).
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.once("exit", (code, signal) => {
    if (code && code !== 0 && !signal) process.stderr.write(`${name} exited with ${code}: ${stderr}\n`);
  });
  return child;
}

export async function startRedis(opts: { dir: string; port?: number }): Promise<LocalService> {
  mkdirSync(opts.dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child = launch(
    "redis-server",
    [
      ...["--port", String(port), "--bind", "127.0.0.1", "--dir", opts.dir, "--protected-mode", "yes", "--loglevel", "warning"],
      // Durability promise (README "What survives what"): every write goes to the append-only
      // file, fsynced once a second, so a kill -9 loses at most about a second of writes and a
      // graceful stop (SIGTERM) loses none. No RDB snapshots: the AOF alone is the record.
      ...["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
    ],
    "redis-server",
  );
  await waitForPort(port, child, "redis-server");
  return { url: `redis://127.0.0.1:${port}`, port, stop: stopper(child), kill: killer(child) };
}

export async function startFerretDb(opts: { dir: string; port?: number; database?: string }): Promise<LocalService> {
  if (!existsSync(FERRETDB_BIN)) throw new Error(`FerretDB is not built (${FERRETDB_BIN}); run scripts/test or scripts/up once`);
  mkdirSync(opts.dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child = launch(FERRETDB_BIN, ["-listen-addr", `127.0.0.1:${port}`, "-dir", opts.dir, "-log-level", "error"], "ferretdb");
  await waitForPort(port, child, "ferretdb");
  return { url: `mongodb://127.0.0.1:${port}/${opts.database ?? "netflix"}`, port, stop: stopper(child), kill: killer(child) };
}

export interface LocalJaeger extends LocalService {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP). */
  otlpUrl: string;
  /** Jaeger's query API (/api/services, /api/traces/<id>) and its UI page. */
  queryUrl: string;
}

/** Jaeger (scripts/up --tracing): OTLP/HTTP in, query API out, on free loopback ports, traces in memory. */
export async function startJaeger(): Promise<LocalJaeger> {
  if (!existsSync(JAEGER_BIN)) throw new Error(`Jaeger is not built (${JAEGER_BIN}); run scripts/up --tracing`);
  const [otlp, query, grpc] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(JAEGER_BIN, ["--config", path.join(ROOT, "tools", "jaeger", "config.yaml")], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
    env: { ...process.env, JAEGER_OTLP_HTTP_PORT: String(otlp), JAEGER_QUERY_PORT: String(query), JAEGER_QUERY_GRPC_PORT: String(grpc) },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.once("exit", (code, signal) => {
    if (code && code !== 0 && !signal) process.stderr.write(`jaeger exited with ${code}: ${stderr}\n`);
  });
  await waitForPort(otlp, child, "jaeger (OTLP)");
  await waitForPort(query, child, "jaeger (query)");
  return {
    url: `http://127.0.0.1:${otlp}`,
    port: otlp,
    otlpUrl: `http://127.0.0.1:${otlp}`,
    queryUrl: `http://127.0.0.1:${query}`,
    stop: stopper(child),
    kill: killer(child),
  };
}

/** Runs a command with MONGODB_URI/REDIS_URL pointing at local servers, started here if unset. */
async function runWithServices(dataDir: string, command: string[]): Promise<number> {
  const started: LocalService[] = [];
  const env = { ...process.env };
  if (!env.MONGODB_URI) {
    const db = await startFerretDb({ dir: path.join(dataDir, "ferretdb") });
    started.push(db);
    env.MONGODB_URI = db.url;
    console.log(`FerretDB on ${db.url} (data in ${path.join(dataDir, "ferretdb")})`);
  }
  if (!env.REDIS_URL) {
    const redis = await startRedis({ dir: path.join(dataDir, "redis") });
    started.push(redis);
    env.REDIS_URL = redis.url;
    console.log(`Redis on ${redis.url}`);
  }
  if (!env.SMTP_URL) {
    // In this process: mail is kept in memory and listed on the inbox page until Ctrl-C.
    const mail = await startMailCatcher({ inbox: true });
    started.push({ url: mail.smtpUrl, port: mail.smtpPort, stop: mail.close, kill: mail.close });
    env.SMTP_URL = mail.smtpUrl;
    console.log(`Mail catcher on ${mail.smtpUrl}; inbox at ${mail.inboxUrl}`);
  }
  if (env.TRACING === "1" && !env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const jaeger = await startJaeger();
    started.push(jaeger);
    env.OTEL_EXPORTER_OTLP_ENDPOINT = jaeger.otlpUrl;
    console.log(`Jaeger receiving OTLP on ${jaeger.otlpUrl}; query API at ${jaeger.queryUrl}/api/services and ${jaeger.queryUrl}/api/traces/<trace id>`);
  }
  // One after another, last started first: nothing stops while something that uses it still runs.
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  writeLocalEnv(dataDir, env);
  if (command.length === 0) {
    console.log("Services running; Ctrl-C to stop.");
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await stopAll();
    return 0;
  }
  // The command runs in its own process group too and hears of Ctrl-C from here, once: it stops
  // (web and worker flush) and exits, and only then do Redis and FerretDB stop.
  const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env, detached: true });
  const forward = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  const code = await new Promise<number>((resolve) => child.once("exit", (c, s) => resolve(c ?? (s ? 128 + 15 : 1))));
  await stopAll();
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const dataIdx = args.indexOf("--data");
  const dataDir = path.resolve(dataIdx >= 0 ? args[dataIdx + 1]! : path.join(ROOT, ".data"));
  const sep = args.indexOf("--");
  const command = sep >= 0 ? args.slice(sep + 1) : [];
  runWithServices(dataDir, command).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
