// The transcode queue: BullMQ on the app's Redis. Its connections open only when first used (the
// web process enqueues, the worker also consumes), and close with the other dependencies.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Config } from "../config.js";

export const MEDIA_QUEUE = "media";

export interface MediaQueue {
  /** The queue (opened on first use). */
  queue(): Queue;
  /** A new blocking connection for a BullMQ Worker or QueueEvents (BullMQ needs its own per consumer). */
  connection(): Redis;
  prefix: string;
  close(): Promise<void>;
}

export function createMediaQueue(config: Pick<Config, "redisUrl" | "media">): MediaQueue {
  const opened: { queue: Queue | null; connections: Redis[] } = { queue: null, connections: [] };
  const connection = () => {
    // BullMQ waits on blocking commands: no per-command timeout and no retry limit on these.
    const client = new Redis(config.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    client.on("error", () => {});
    opened.connections.push(client);
    return client;
  };
  return {
    prefix: config.media.queuePrefix,
    connection,
    queue() {
      opened.queue ??= new Queue(MEDIA_QUEUE, { connection: connection(), prefix: config.media.queuePrefix });
      return opened.queue;
    },
    async close() {
      await opened.queue?.close().catch(() => undefined);
      await Promise.allSettled(opened.connections.map((c) => c.quit()));
    },
  };
}
