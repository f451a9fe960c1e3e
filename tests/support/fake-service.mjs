// A stand-in for the web or worker process under the supervisor: notes its start and the signal
// that stopped it in SERVICE_LOG, and on SIGTERM checks that Redis (REDIS_URL) still answers, as
// the web's last progress flush needs it to.
/* global process, URL, setTimeout, setInterval */
import { appendFileSync } from "node:fs";
import net from "node:net";

const note = (line) => appendFileSync(process.env.SERVICE_LOG, `${process.env.SERVICE_NAME ?? "service"} ${line}\n`);

function redisAnswers() {
  if (!process.env.REDIS_URL) return Promise.resolve("no-redis");
  const url = new URL(process.env.REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write("PING\r\n"));
    socket.once("data", (d) => (socket.destroy(), resolve(d.toString().startsWith("+PONG") ? "redis-up" : "redis-odd")));
    socket.once("error", () => resolve("redis-down"));
  });
}

note(`start ${process.pid}`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    // Stopping takes a moment, as a real flush would.
    await new Promise((r) => setTimeout(r, 200));
    note(`stop ${signal} ${await redisAnswers()}`);
    process.exit(0);
  });
}
setInterval(() => undefined, 60_000);
