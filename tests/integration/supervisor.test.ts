// scripts/up's process tree: the supervisor restarts a web or worker process that died, and
// Ctrl-C (SIGINT to the whole terminal process group) stops web and worker first, each once with
// SIGTERM, while Redis still runs; Redis and FerretDB stop after them.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, exited, ROOT } from "../support/processes.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "netflix-supervisor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logOf = (file: string) => {
  try {
    return readFileSync(file, "utf8").trim().split("\n");
  } catch {
    return [];
  }
};

describe("the scripts/up process tree", () => {
  it("restarts a crashed process, and Ctrl-C stops web and worker before Redis", async () => {
    const log = path.join(dir, "services.log");
    const fake = path.join(ROOT, "tests/support/fake-service.mjs");
    // local-services starts Redis (and FerretDB), then the supervisor with two fake services.
    const up = spawn(
      process.execPath,
      ["--import", "tsx", "tools/local-services.ts", "--data", path.join(dir, "data"), "--", process.execPath, "--import", "tsx", "tools/web-and-worker.ts"],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", SERVICE_LOG: log, SUPERVISE_ENTRIES: `web=${fake},worker=${fake}`, SUPERVISE_FIRST_DELAY_MS: "100" },
        stdio: ["ignore", "ignore", "pipe"],
        // Its own process group, standing in for the terminal's: Ctrl-C signals the whole group.
        detached: true,
      },
    );
    let stderr = "";
    up.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await eventually(async () => logOf(log).filter((l) => l.includes("start")).length === 2, 30_000);

    const firstPid = Number(logOf(log)[0]!.split(" ").pop());
    process.kill(firstPid, "SIGKILL");
    await eventually(async () => logOf(log).filter((l) => l.includes("start")).length === 3, 10_000);

    process.kill(-up.pid!, "SIGINT");
    const { code } = await exited(up);

    const stops = logOf(log).filter((l) => l.includes("stop"));
    expect(code).toBe(0);
    expect(stops).toEqual(["service stop SIGTERM redis-up", "service stop SIGTERM redis-up"]);
    expect(stderr).toContain("exited unexpectedly; restarting");
  }, 60_000);
});
