// Starts bench/server.ts the way production starts the app: compiled JavaScript (the same
// tsc build as `npm run build`, into .data/bench-build) under plain `node` with the production
// flags. Under tsx the module loader's own thread and compiled sources cost each web process
// about 60 MB more memory and some CPU, which a production process never pays.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { NODE_FLAGS } from "../src/lib/node-flags.js";
import { projectRoot } from "../src/lib/paths.js";

const OUT = path.join(projectRoot, ".data", "bench-build");

let compiled = false;

/** Compiles src/ and the bench server (about 10 s), once per bench run. */
function build() {
  if (compiled) return;
  execFileSync(process.execPath, [path.join(projectRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.bench.json"], {
    cwd: projectRoot,
    stdio: "inherit",
  });
  compiled = true;
}

export interface ServerProcessOptions {
  env: NodeJS.ProcessEnv;
  /** Loads the tracing set-up first, as `npm start` does when an OTLP endpoint is configured. */
  tracing?: boolean;
  /** Writes a CPU profile per web process into this folder. */
  profileDir?: string;
  /** More Node/V8 flags (memory experiments). */
  flags?: string[];
}

/** A started bench server: its primary process (IPC: "rss", "flush", "stop"), address and web processes. */
export interface BenchServer {
  child: ChildProcess;
  base: string;
  processes: number;
  /** Stops it (each web process writes its buffered saves first) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Forks the compiled bench server (bench/server.ts) and waits until its primary reports the port. */
export async function startBenchServer(options: ServerProcessOptions): Promise<BenchServer> {
  const child = forkBenchServer(options);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const { port, processes } = await new Promise<{ port: number; processes: number }>((resolve, reject) => {
    child.once("message", (msg) => resolve(msg as { port: number; processes: number }));
    child.once("exit", (code) => reject(new Error(`bench server exited (${code}) before listening`)));
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    processes,
    stop: async () => {
      child.send("stop");
      await exited;
    },
  };
}

function forkBenchServer(options: ServerProcessOptions): ChildProcess {
  build();
  return fork(path.join(OUT, "bench", "server.js"), {
    env: options.env,
    execArgv: [
      ...NODE_FLAGS,
      ...(options.tracing ? ["--import", path.join(OUT, "src", "tracing", "register.js")] : []),
      ...(options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] : []),
      ...(options.flags ?? []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}
