// Starts bench/server.ts the way production starts the app: compiled JavaScript (the same
// tsc build as `npm run build`, into .data/bench-build) under plain `node` with the production
// flags. Under tsx the module loader's own thread and compiled sources cost each web process
// about 60 MB more memory and some CPU, which a production process never pays.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { NODE_FLAGS } from "../src/lib/node-flags.js";
import { projectRoot } from "../src/lib/paths.js";

const OUT = path.join(projectRoot, ".data", "bench-build");

/** Compiles src/ and the bench server (about 10 s), once per bench run. */
let compiled = false;
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

/** Forks the compiled bench server (bench/server.ts): its primary reports the port over IPC. */
export function forkBenchServer(options: ServerProcessOptions): ChildProcess {
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
