import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../../tools/local-services.js";
import { testEnv } from "../support/context.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

async function waitForHttp(port: number, pathname: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}${pathname}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not start");
}

describe("graceful shutdown", () => {
  it("on SIGTERM finishes the in-flight request, then exits 0", async () => {
    const port = await freePort();
    const server = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/server.ts")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...testEnv({ PORT: String(port), HOST: "127.0.0.1" }) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    await waitForHttp(port, "/live");

    // A request whose body is still arriving when SIGTERM lands.
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    let response = "";
    socket.on("data", (d) => (response += d.toString()));
    const body = "email=a%40example.com&password=x";
    socket.write(
      `POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 200));

    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    expect(server.exitCode).toBeNull();
    socket.write(body.slice(5));
    await new Promise((r) => socket.once("close", r));

    expect(response).toMatch(/^HTTP\/1\.1 403/);
    expect(await exited).toBe(0);
  });
});
