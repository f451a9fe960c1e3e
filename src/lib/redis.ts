// Redis connections: fail fast instead of queueing forever, so a dead Redis becomes a 503, not a hang.
import { Redis } from "ioredis";

export type { Redis };

export function createRedis(url: string, commandTimeoutMs: number): Redis {
  const client = new Redis(url, {
    // Commands issued while disconnected fail at once; reconnects go on in the background.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  // Without a listener ioredis prints every reconnect failure; readiness reports it instead.
  client.on("error", () => {});
  return client;
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(client: Redis, timeoutMs = 10_000): Promise<void> {
  if (client.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off("ready", onReady);
    };
    client.on("ready", onReady);
  });
}
