// Runs netflix-admin as a child process, the way an operator would, against the test servers.
import { spawn } from "node:child_process";
import path from "node:path";
import { Readable } from "node:stream";
import type { CliContext } from "../../src/cli/context.js";
import { runCli as runCliEntry } from "../../src/cli/index.js";
import type { Config } from "../../src/config.js";
import type { Deps } from "../../src/deps.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliEnv(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  return { MONGODB_URI: config.mongoUri, REDIS_URL: config.redisUrl, SESSION_SECRET: config.session.secret, LOG_LEVEL: "silent", ...extra };
}

export function runCli(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/cli/main.ts"), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/**
 * Runs netflix-admin in this process against the test's deps: the same createProgram and
 * commands, without a process start per call. Child-process runs (runCli) cover the entry point.
 */
export async function runCliInProcess(deps: Deps, args: string[], stdin = ""): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const ctx: CliContext = {
    deps: () => Promise.resolve(deps),
    output: {
      out: (text) => (stdout += text.endsWith("\n") ? text : `${text}\n`),
      err: (text) => (stderr += text.endsWith("\n") ? text : `${text}\n`),
    },
    stdin: Readable.from([stdin]),
    actor: "cli:test",
    promptSecret: () => Promise.reject(new Error("no terminal in tests")),
  };
  const code = await runCliEntry(ctx, args);
  return { code, stdout, stderr };
}
