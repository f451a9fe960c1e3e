// Child processes for fault tests: app entry points run through tsx, and waiting on conditions.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Runs a TypeScript entry (relative to the project root) as its own node process; `tracing`
 * loads the OpenTelemetry register module first, as scripts/up does with tracing on.
 */
export function spawnTs(entry: string, env: Record<string, string>, opts: { stdout?: boolean; tracing?: boolean; args?: string[] } = {}): ChildProcess {
  const imports = ["--import", "tsx", ...(opts.tracing ? ["--import", path.join(ROOT, "src/tracing/register.ts")] : [])];
  return spawn(process.execPath, [...imports, path.join(ROOT, entry), ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", opts.stdout ? "pipe" : "ignore", "pipe"],
  });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Polls `check` until it holds; throws after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error("condition not met in time");
}
