// scripts/admin from a second terminal: a clean environment (system PATH, no app variables)
// against local services started the way scripts/up starts them; and --json stays parseable
// when the CLI logs (a TMDB retry warning goes to stderr).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, type CliResult } from "../support/cli.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { json, movieBody, startFakeTmdb, type FakeTmdb } from "../support/fake-tmdb.js";
import { uniqueEmail } from "../support/http.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BUILT_CLI = path.join(ROOT, "dist/src/cli/main.js");

function run(cmd: string, args: string[], stdin = ""): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: os.tmpdir(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A command that exits before reading its input (a refusal) closes the pipe: not an error here.
    child.stdin.on("error", () => undefined);
    child.stdin.end(stdin);
  });
}

/** scripts/admin as an operator's fresh terminal runs it: env -i, the system PATH (its node is older), HOME. */
const admin = (dataDir: string, args: string[], stdin = "") =>
  run("/usr/bin/env", ["-i", "PATH=/usr/bin:/bin", `HOME=${os.homedir()}`, path.join(ROOT, "scripts/admin"), "--data", dataDir, ...args], stdin);

/** scripts/admin runs the built CLI; build it here when src is newer, as scripts/up does. */
async function ensureBuilt(): Promise<void> {
  const builtAt = existsSync(BUILT_CLI) ? statSync(BUILT_CLI).mtimeMs : 0;
  const stale = await run("/usr/bin/find", [path.join(ROOT, "src"), "-name", "*.ts", "-newermt", `@${Math.floor(builtAt / 1000)}`, "-print", "-quit"]);
  if (builtAt && !stale.stdout.trim()) return;
  const tsc = await run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")]);
  if (tsc.code !== 0) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("scripts/admin from a clean environment", () => {
  let dataDir: string;
  let services: ChildProcess;
  const envFile = () => path.join(dataDir, "local.env");

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "nextflix-up-"));
    // What scripts/up runs, with a stand-in for the web server and worker that just stays up.
    services = spawn(
      process.execPath,
      ["--import", "tsx", "tools/local-services.ts", "--data", dataDir, "--", process.execPath, "-e", "setInterval(() => {}, 60_000)"],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: os.homedir(), SESSION_SECRET: randomBytes(32).toString("hex") }, stdio: "ignore" },
    );
    await waitFor(() => existsSync(envFile()), "local.env");
  }, 240_000);

  afterAll(async () => {
    if (services && services.exitCode === null) {
      const exited = new Promise((r) => services.once("exit", r));
      services.kill("SIGTERM");
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates the first admin with --password-stdin, then lists accounts as JSON", async () => {
    const email = uniqueEmail("first-admin");
    const created = await admin(dataDir, ["users", "create-admin", "--email", email, "--name", "First Admin", "--password-stdin"], "correct horse 2024\n");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created admin /);
    const listed = await admin(dataDir, ["users", "list", "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ email, role: "admin" }));
  });

  it("keeps the services' secrets readable by their owner only", () => {
    expect(statSync(envFile()).mode & 0o077).toBe(0);
    expect(readFileSync(envFile(), "utf8")).toMatch(/^MONGODB_URI=mongodb:\/\/127\.0\.0\.1:\d+\//m);
  });

  it("says no local services are running once they stop (exit 1), and the settings file is gone", async () => {
    const exited = new Promise((r) => services.once("exit", r));
    services.kill("SIGTERM");
    await exited;
    expect(existsSync(envFile())).toBe(false);
    const res = await admin(dataDir, ["users", "list"]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/^error: no local services are running .*start scripts\/up/);
  });
});

describe("netflix-admin --json with log lines", () => {
  let ctx: TestContext;
  let tmdb: FakeTmdb;
  beforeAll(async () => {
    ctx = await createTestContext();
    tmdb = await startFakeTmdb();
    let calls = 0;
    // The first call fails, so the client logs its retry warning before the import succeeds.
    tmdb.handle("movie/931", (_req, res) =>
      ++calls === 1 ? json(res, 503, { status_message: "busy" }) : json(res, 200, movieBody(931, { title: "Retried Film" })),
    );
  });
  afterAll(async () => {
    await ctx?.close();
    await tmdb?.close();
  });

  it("a TMDB retry warning goes to stderr and stdout stays one JSON document", async () => {
    const env = cliEnv(ctx.config, { LOG_LEVEL: "info", TMDB_API_KEY: "k", TMDB_BASE_URL: tmdb.baseUrl });
    const res = await runCli(["catalog", "import", "--tmdb-id", "931", "--json"], env);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("TMDB call failed; retrying");
    expect(JSON.parse(res.stdout)).toEqual([expect.objectContaining({ tmdbId: 931, title: "Retried Film" })]);
  });
});
