import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { op } from "../../src/lib/db.js";
import type { Deps } from "../../src/deps.js";
import { claimNextEvent, dispatchOutbox, enqueueEvent, type OutboxConsumer } from "../../src/services/notifications/outbox.js";
import { defaultConsumers } from "../../src/services/notifications/consumers.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { at, insertUser } from "../support/billing.js";
import { newAgent, registerUser, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_MAX_ATTEMPTS: "3", OUTBOX_RETRY_BASE_SECONDS: "10", OUTBOX_LEASE_SECONDS: "60" });
});
afterAll(async () => {
  await ctx?.close();
});

const later = (ms: number) => at(ctx.deps, new Date(Date.now() + ms));
// Each test starts from an empty queue: earlier tests' events are delivered to nobody first.
beforeEach(async () => {
  await ctx.deps.models.Outbox.updateMany({ status: op({ $ne: "done" }) }, { $set: { status: "done" } });
});
const only = (id: string): OutboxConsumer[] => defaultConsumers().map((c) => ({ ...c, handles: (type: string) => c.handles(type) && id.length > 0 }));

describe("outbox", () => {
  it("registration writes a user.registered event that becomes a welcome notification", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    const event = await ctx.deps.models.Outbox.findById(`user.registered:${String(user!._id)}`).lean();
    expect(event?.status).toBe("pending");
    await dispatchOutbox(ctx.deps, defaultConsumers());
    expect((await ctx.deps.models.Outbox.findById(event!._id).lean())?.status).toBe("done");
    expect(await ctx.deps.models.Notification.countDocuments({ userId: user!._id, type: "user.registered" })).toBe(1);
  });

  it("writing the same event twice keeps one event", async () => {
    const id = `test.dup:${Date.now()}`;
    expect(await enqueueEvent(ctx.deps, { id, type: "test.dup", payload: {} })).toBe(true);
    expect(await enqueueEvent(ctx.deps, { id, type: "test.dup", payload: {} })).toBe(false);
    expect(await ctx.deps.models.Outbox.countDocuments({ _id: id })).toBe(1);
  });

  it("a worker killed between claim and done: the event is delivered again and the effect happens once", async () => {
    const user = await insertUser(ctx.deps);
    const id = `payment.approved:crash-${user.id}`;
    await enqueueEvent(ctx.deps, { id, type: "payment.approved", payload: { userId: user.id, plan: "basic", periodEnd: new Date().toISOString() } });
    // Worker A claims the event, its consumer writes the notification, then the process dies
    // before recording the delivery or marking the event done.
    const claimed = await claimNextEvent(ctx.deps, "worker-a");
    expect(claimed?._id).toBe(id);
    const consumers = only(id);
    await consumers[0]!.handle(ctx.deps, { id, type: claimed!.type, payload: claimed!.payload, attempts: 1 });
    await ctx.deps.redis.del(`outbox:lease:${id}`);
    // Within the lease nobody else takes it.
    expect((await dispatchOutbox(ctx.deps, consumers, { claimer: "worker-b" })).claimed).toBe(0);
    // After the lease runs out, worker B delivers it again.
    const laterDeps: Deps = later(61_000);
    const r = await dispatchOutbox(laterDeps, consumers, { claimer: "worker-b" });
    expect(r.done).toBeGreaterThanOrEqual(1);
    const event = await ctx.deps.models.Outbox.findById(id).lean();
    expect(event?.status).toBe("done");
    expect(event?.attempts).toBe(2);
    expect(await ctx.deps.models.Notification.countDocuments({ userId: user.id, type: "payment.approved" })).toBe(1);
  });

  it("retries a failing consumer with growing delays and marks the event failed after N attempts", async () => {
    const id = `test.flaky:${Date.now()}`;
    await enqueueEvent(ctx.deps, { id, type: "test.flaky", payload: {} });
    let calls = 0;
    const flaky: OutboxConsumer = {
      name: "flaky",
      handles: (t) => t === "test.flaky",
      handle: async () => {
        calls += 1;
        throw new Error("smtp down");
      },
    };
    await dispatchOutbox(ctx.deps, [flaky]);
    let e = await ctx.deps.models.Outbox.findById(id).lean();
    expect(e?.status).toBe("pending");
    expect(e?.lastError).toBe("smtp down");
    const firstDelay = e!.nextAttemptAt.getTime() - Date.now();
    expect(firstDelay).toBeGreaterThan(8_000);
    expect(firstDelay).toBeLessThanOrEqual(10_000);
    // Not due yet: nothing happens.
    await dispatchOutbox(ctx.deps, [flaky]);
    expect(calls).toBe(1);
    await dispatchOutbox(later(11_000), [flaky]);
    e = await ctx.deps.models.Outbox.findById(id).lean();
    expect(e?.attempts).toBe(2);
    expect(e!.nextAttemptAt.getTime() - (Date.now() + 11_000)).toBeGreaterThan(18_000);
    await dispatchOutbox(later(40_000), [flaky]);
    e = await ctx.deps.models.Outbox.findById(id).lean();
    expect(e?.status).toBe("failed");
    expect(e?.attempts).toBe(3);
    await dispatchOutbox(later(10 * 60_000), [flaky]);
    expect(calls).toBe(3);
  });

  it("a redelivery skips consumers that already finished", async () => {
    const id = `test.partial:${Date.now()}`;
    await enqueueEvent(ctx.deps, { id, type: "test.partial", payload: {} });
    const seen: string[] = [];
    let fail = true;
    const first: OutboxConsumer = { name: "first", handles: () => true, handle: async () => void seen.push("first") };
    const second: OutboxConsumer = {
      name: "second",
      handles: () => true,
      handle: async () => {
        seen.push("second");
        if (fail) throw new Error("later");
      },
    };
    await dispatchOutbox(ctx.deps, [first, second]);
    fail = false;
    await dispatchOutbox(later(11_000), [first, second]);
    expect(seen).toEqual(["first", "second", "second"]);
    expect((await ctx.deps.models.Outbox.findById(id).lean())?.status).toBe("done");
  });

  it("a worker told to stop finishes the event in hand and claims no more", async () => {
    const ids = [1, 2, 3].map((n) => `test.stop:${Date.now()}:${n}`);
    for (const id of ids) await enqueueEvent(ctx.deps, { id, type: "test.stop", payload: {} });
    const stopping = new AbortController();
    const handled: string[] = [];
    const consumer: OutboxConsumer = {
      name: "stop-test",
      handles: (type) => type === "test.stop",
      handle: async (_deps, event) => {
        handled.push(event.id);
        stopping.abort(); // SIGTERM arrives while the first event is being delivered
      },
    };

    const summary = await dispatchOutbox(ctx.deps, [consumer], { signal: stopping.signal });

    expect(summary).toMatchObject({ claimed: 1, done: 1 });
    expect(handled).toHaveLength(1);
    expect(await ctx.deps.models.Outbox.countDocuments({ _id: op({ $in: ids }), status: "pending" })).toBe(2);
  });
});
