// Slow clients: a connection that never finishes its headers is answered 408 and closed by the
// server's own timeout, instead of holding a socket for as long as it likes.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { freePort } from "../../tools/local-services.js";
import { testEnv } from "../support/context.js";
import { eventually, exited, spawnTs } from "../support/processes.js";

let server: ChildProcess;
let port: number;
beforeAll(async () => {
  port = await freePort();
  server = spawnTs("src/server.ts", testEnv({ PORT: String(port), HOST: "127.0.0.1", HTTP_HEADERS_TIMEOUT_MS: "500", HTTP_REQUEST_TIMEOUT_MS: "1000" }));
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/live`)).ok, 30_000, 200);
});
afterAll(async () => {
  server.kill("SIGTERM");
  await exited(server);
});

describe("a client that trickles its headers in", () => {
  it("gets 408 and a closed connection from the server", async () => {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    let response = "";
    socket.on("data", (d) => (response += d.toString()));
    socket.write("GET /live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");

    await new Promise((r) => socket.once("close", r));

    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`http://127.0.0.1:${port}/live`)).status).toBe(200);
  });
});
