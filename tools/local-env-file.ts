// Writes the running local services' settings to <data>/local.env for scripts/admin, and removes
// the file when this process exits, so a second terminal finds the ports scripts/up picked.
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_KEYS } from "../src/config.js";

export const LOCAL_ENV_FILE = "local.env";

/**
 * One KEY=value line per configuration variable that is set (no shell quoting: scripts/admin
 * reads the lines, it never sources them), plus the supervising pid so a file left behind by a
 * killed scripts/up is recognised as stale. Secrets are in it, so only the owner can read it.
 */
export function writeLocalEnv(dataDir: string, env: Record<string, string | undefined>): void {
  const file = path.join(dataDir, LOCAL_ENV_FILE);
  const lines = [`# written by scripts/up; removed when it stops`, `# pid=${process.pid}`];
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && !/[\r\n]/.test(value)) lines.push(`${key}=${value}`);
  }
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  process.once("exit", () => rmSync(file, { force: true }));
}
