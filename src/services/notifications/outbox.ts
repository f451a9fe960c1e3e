// The outbox: events written with (or right after) the state change they describe, and the
// dispatcher that claims them, runs consumers, retries with backoff and gives up after N attempts.
import { hostname } from "node:os";
import { op } from "../../lib/db.js";
import type { Clock, Deps } from "../../deps.js";
import { acquireLock } from "../../lib/lock.js";
import { activeSpanContext, extractTraceContext, injectTraceContext, SpanKind, withSpan } from "../../lib/tracing.js";

export interface OutboxMessage {
  id: string; // deterministic: writing the same event twice is a no-op
  type: string;
  payload: Record<string, unknown>;
}

export interface DeliveredEvent extends OutboxMessage {
  attempts: number;
}

/** Reacts to events; must be idempotent per event id, because delivery is at-least-once. */
export interface OutboxConsumer {
  name: string;
  handles(type: string): boolean;
  handle(deps: Deps, event: DeliveredEvent): Promise<void>;
}

type EnqueueDeps = Pick<Deps, "models"> & { clock?: Clock };

/** Writes an event; returns false when an event with that id already exists. */
export async function enqueueEvent(deps: EnqueueDeps, message: OutboxMessage): Promise<boolean> {
  const now = (deps.clock ?? { now: () => new Date() }).now();
  return withSpan(`outbox.enqueue ${message.type}`, { kind: SpanKind.PRODUCER, attributes: { "outbox.event_id": message.id } }, async (span) => {
    const { traceparent = null, tracestate = null } = injectTraceContext({});
    try {
      await deps.models.Outbox.create({ _id: message.id, type: message.type, payload: message.payload, nextAttemptAt: now, traceparent, tracestate });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) {
        span.setAttribute("outbox.duplicate", true);
        return false;
      }
      throw err;
    }
  });
}

export interface DispatchSummary {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
}

const workerId = `${hostname()}:${process.pid}`;

/** Claims one due event: pending and due, or processing with an expired lease (a crashed worker). */
export async function claimNextEvent(deps: Pick<Deps, "models" | "clock" | "config">, claimer = workerId) {
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - deps.config.outbox.leaseMs);
  return deps.models.Outbox.findOneAndUpdate(
    {
      $or: [
        { status: "pending", nextAttemptAt: op({ $lte: now }) },
        { status: "processing", claimedAt: op({ $lt: staleBefore }) },
      ],
    },
    { $set: { status: "processing", claimedAt: now, claimedBy: claimer }, $inc: { attempts: 1 } },
    { sort: { nextAttemptAt: 1 }, returnDocument: "after" },
  ).lean();
}

/**
 * Delivers due events until none are left, `limit` were claimed, or `signal` (the worker
 * stopping) is aborted: it stops between events, never in the middle of one.
 */
export async function dispatchOutbox(
  deps: Deps,
  consumers: OutboxConsumer[],
  opts: { limit?: number; claimer?: string; signal?: AbortSignal } = {},
): Promise<DispatchSummary> {
  const summary: DispatchSummary = { claimed: 0, done: 0, retried: 0, failed: 0 };
  const limit = opts.limit ?? 200;
  const claimer = opts.claimer ?? workerId;
  while (summary.claimed < limit && !opts.signal?.aborted) {
    const event = await claimNextEvent(deps, claimer);
    if (!event) break;
    // FerretDB can hand the same event to two concurrent claimers; the Redis lease picks one.
    const lease = await acquireLock(deps.redis, `outbox:lease:${event._id}`, deps.config.outbox.leaseMs);
    if (!lease) continue;
    summary.claimed += 1;
    try {
      // The delivery continues the trace of the work that wrote the event (the request that
      // approved a payment), linked to this dispatch run.
      const run = activeSpanContext();
      const outcome = await withSpan(
        `outbox.deliver ${event.type}`,
        {
          kind: SpanKind.CONSUMER,
          parent: extractTraceContext(event),
          links: run ? [{ context: run }] : [],
          attributes: { "outbox.event_id": event._id, "outbox.attempt": event.attempts ?? 1 },
        },
        async (span) => {
          const result = await deliver(
            deps,
            consumers,
            { id: event._id, type: event.type, payload: event.payload ?? {}, attempts: event.attempts ?? 1 },
            event.delivered ?? [],
            claimer,
          );
          span.setAttribute("outbox.outcome", result);
          return result;
        },
      );
      summary[outcome] += 1;
    } finally {
      // A crash skips this, and the lease then runs out together with the claim's staleness window.
      await lease.release().catch(() => undefined);
    }
  }
  return summary;
}

async function deliver(
  deps: Deps,
  consumers: OutboxConsumer[],
  event: DeliveredEvent,
  delivered: string[],
  claimer: string,
): Promise<"done" | "retried" | "failed"> {
  const { Outbox } = deps.models;
  try {
    for (const consumer of consumers) {
      if (!consumer.handles(event.type) || delivered.includes(consumer.name)) continue;
      await withSpan(`outbox.consume ${consumer.name}`, { attributes: { "outbox.consumer": consumer.name } }, () => consumer.handle(deps, event));
      await Outbox.updateOne({ _id: event.id }, { $addToSet: { delivered: consumer.name } });
    }
    await Outbox.updateOne({ _id: event.id, claimedBy: claimer }, { $set: { status: "done", doneAt: deps.clock.now(), lastError: null } });
    return "done";
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const { maxAttempts, retryBaseMs } = deps.config.outbox;
    if (event.attempts >= maxAttempts) {
      await Outbox.updateOne({ _id: event.id, claimedBy: claimer }, { $set: { status: "failed", lastError: message } });
      deps.logger.error({ eventId: event.id, attempts: event.attempts, err: message }, "outbox event failed for good");
      return "failed";
    }
    const delay = retryBaseMs * 2 ** (event.attempts - 1);
    const nextAttemptAt = new Date(deps.clock.now().getTime() + delay);
    await Outbox.updateOne({ _id: event.id, claimedBy: claimer }, { $set: { status: "pending", nextAttemptAt, lastError: message } });
    deps.logger.warn({ eventId: event.id, attempts: event.attempts, retryInMs: delay, err: message }, "outbox event will be retried");
    return "retried";
  }
}

export async function outboxCounts(deps: Pick<Deps, "models">): Promise<Record<string, number>> {
  const statuses = ["pending", "processing", "done", "failed"] as const;
  const counts = await Promise.all(statuses.map((status) => deps.models.Outbox.countDocuments({ status })));
  return Object.fromEntries(statuses.map((s, i) => [s, counts[i]!]));
}
