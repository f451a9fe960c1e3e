// The Redis connection sends the commands of one event-loop turn in one socket write.
import type { Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createRedis, waitForRedis, type Redis } from "../../src/lib/redis.js";

const clients: Redis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});

async function connected(): Promise<Redis> {
  const client = createRedis(inject("redisUrl"), 2000);
  clients.push(client);
  await waitForRedis(client);
  return client;
}

/** Counts the socket's writes to the kernel (one per write or writev call). */
function countWrites(socket: Socket): () => number {
  const s = socket as Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
  let writes = 0;
  for (const name of ["_write", "_writev"] as const) {
    const original = s[name].bind(s);
    s[name] = (...args: unknown[]) => {
      writes += 1;
      original(...args);
    };
  }
  return () => writes;
}

async function sendThree(client: Redis, key: string) {
  const pending = Promise.all([client.set(key, "1", "EX", 60), client.incr(key), client.get(key)]);
  // Held back until this turn's I/O is done.
  expect(client.stream.writableCorked).toBe(1);
  return pending;
}

describe("redis connection", () => {
  it("sends commands issued in one turn with a single write, in order, with their own replies", async () => {
    const client = await connected();
    const writes = countWrites(client.stream);
    const key = `coalesce:${randomBytes(6).toString("hex")}`;
    expect(await sendThree(client, key)).toEqual(["OK", 2, "2"]);
    expect(writes()).toBe(1);
    expect(client.stream.writableCorked).toBe(0);
    // Awaited one by one, each command goes out on its own turn: nothing waits for company.
    await client.incr(key);
    await client.incr(key);
    expect(writes()).toBe(3);
    expect(await client.get(key)).toBe("4");
  });

  it("keeps coalescing after a reconnect", async () => {
    const client = await connected();
    const first = client.stream;
    client.disconnect(true);
    await new Promise<void>((resolve) => client.once("ready", () => resolve()));
    expect(client.stream).not.toBe(first);
    const writes = countWrites(client.stream);
    expect(await sendThree(client, `coalesce:${randomBytes(6).toString("hex")}`)).toEqual(["OK", 2, "2"]);
    expect(writes()).toBe(1);
  });
});
