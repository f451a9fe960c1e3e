import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { findJob, JOBS } from "../../src/jobs/schedule.js";
import { closeDeps, createDeps } from "../../src/deps.js";
import type { Deps } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import { runJob, type JobDefinition } from "../../src/services/ops/jobs.js";
import { expireSubscriptions, remindExpiring } from "../../src/services/billing/subscriptions.js";
import { createTestContext, testEnv, type TestContext } from "../support/context.js";
import { activeSubscriber, at, insertUser, signedInAs } from "../support/billing.js";

let ctx: TestContext;
let workers: Deps[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  // Three worker processes: separate MongoDB and Redis connections on the same servers.
  const config = loadConfig(testEnv({ MONGODB_URI: ctx.config.mongoUri }));
  workers = await Promise.all([1, 2, 3].map((n) => createDeps(config, { name: `worker-${n}`, logger: createLogger("silent") })));
});
afterAll(async () => {
  await Promise.all(workers.map(closeDeps));
  await ctx?.close();
});

const DAY = 86_400_000;

describe("job runs", () => {
  it("the same cron fire on three workers runs the job body once", async () => {
    let bodies = 0;
    const job: JobDefinition = {
      name: "count-once",
      schedule: "* * * * *",
      description: "test",
      task: async () => {
        bodies += 1;
        await new Promise((r) => setTimeout(r, 50));
        return { ok: 1 };
      },
    };
    const fireTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    const results = await Promise.all(workers.map((w) => runJob(w, job, { fireTime, trigger: "schedule" })));
    expect(bodies).toBe(1);
    expect(results.filter((r) => r.status === "succeeded")).toHaveLength(1);
    expect(results.filter((r) => r.status === "skipped")).toHaveLength(2);
    expect(await ctx.deps.models.JobRun.countDocuments({ job: "count-once", fireTime })).toBe(1);
  });

  it("a late worker whose lock expired still skips a fire that already ran", async () => {
    let bodies = 0;
    const job: JobDefinition = { name: "late-fire", schedule: "* * * * *", description: "test", task: async () => ({ n: ++bodies }) };
    const fireTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    await runJob(workers[0]!, job, { fireTime, trigger: "schedule" });
    await ctx.deps.redis.del(`joblock:late-fire:${fireTime.toISOString()}`);
    const late = await runJob(workers[1]!, job, { fireTime, trigger: "schedule" });
    expect(late).toMatchObject({ status: "skipped", reason: "already-ran" });
    expect(bodies).toBe(1);
  });

  it("records a failing job with its error", async () => {
    const job: JobDefinition = {
      name: "always-fails",
      schedule: "* * * * *",
      description: "test",
      task: async () => {
        throw new Error("boom");
      },
    };
    const r = await runJob(ctx.deps, job, { fireTime: new Date(), trigger: "manual" });
    expect(r.status).toBe("failed");
    const run = await ctx.deps.models.JobRun.findOne({ job: "always-fails" }).lean();
    expect(run?.status).toBe("failed");
    expect(run?.error).toBe("boom");
  });

  it("three workers firing expire-subscriptions expire each user once with one event", async () => {
    const user = await insertUser(ctx.deps, { subscription: { plan: "basic", status: "active", currentPeriodEnd: new Date(Date.now() - 60_000) } });
    const fireTime = new Date(Math.floor(Date.now() / 1000) * 1000 + 7_000);
    await Promise.all(workers.map((w) => runJob(w, findJob("expire-subscriptions")!, { fireTime, trigger: "schedule" })));
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("expired");
    expect(await ctx.deps.models.Outbox.countDocuments({ type: "subscription.expired", "payload.userId": user.id })).toBe(1);
    expect(await ctx.deps.models.JobRun.countDocuments({ job: "expire-subscriptions", fireTime })).toBe(1);
  });

  it("every scheduled job has a valid cron expression and a translated description", async () => {
    const cron = await import("node-cron");
    for (const job of JOBS) expect(cron.validate(job.schedule), job.name).toBe(true);
    expect(JOBS.map((j) => j.name).sort()).toEqual([
      "approve-confirmed-payments",
      "dispatch-outbox",
      "expire-stale-payments",
      "expire-subscriptions",
      "flush-progress",
      "purge",
      "release-titles",
      "remind-expiring",
      "warm-tmdb-cache",
    ]);
  });

  it("warm-tmdb-cache is a clear no-op without a TMDB key", async () => {
    const r = await runJob(ctx.deps, findJob("warm-tmdb-cache")!, { fireTime: new Date(), trigger: "manual" });
    expect(r).toMatchObject({ status: "succeeded", counts: { skipped: "no TMDB key configured" } });
  });
});

describe("subscription expiry", () => {
  it("running the expire job twice changes nothing the second time", async () => {
    const user = await insertUser(ctx.deps, { subscription: { plan: "basic", status: "active", currentPeriodEnd: new Date(Date.now() - 1000) } });
    const first = await expireSubscriptions(ctx.deps);
    const after1 = await ctx.deps.models.User.findById(user.id).lean();
    const events1 = await ctx.deps.models.Outbox.countDocuments({ type: "subscription.expired", "payload.userId": user.id });
    const second = await expireSubscriptions(ctx.deps);
    const after2 = await ctx.deps.models.User.findById(user.id).lean();
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect(second.expired).toBe(0);
    expect(after2?.subscription).toEqual(after1?.subscription);
    expect(after2?.updatedAt).toEqual(after1?.updatedAt);
    expect(await ctx.deps.models.Outbox.countDocuments({ type: "subscription.expired", "payload.userId": user.id })).toBe(events1);
  });

  it("a canceled subscription ends as canceled, and --dry-run changes nothing", async () => {
    const user = await insertUser(ctx.deps, {
      subscription: { plan: "basic", status: "active", cancelAtPeriodEnd: true, currentPeriodEnd: new Date(Date.now() - 1000) },
    });
    const dry = await expireSubscriptions(ctx.deps, { dryRun: true });
    expect(dry.users.map((u) => u.userId)).toContain(user.id);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("active");
    await expireSubscriptions(ctx.deps);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("canceled");
  });

  it("an expired user loses the watch page on the next request, with the session still live", async () => {
    const user = await activeSubscriber(ctx.deps, 5);
    const agent = await signedInAs(ctx.app, user.email);
    const before = await agent.get("/watch/no-such-title");
    expect(before.status).not.toBe(403);
    await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { "subscription.currentPeriodEnd": new Date(Date.now() - 1000) } });
    await expireSubscriptions(ctx.deps);
    const after = await agent.get("/watch/no-such-title");
    expect(after.status).toBe(403);
    const media = await agent.get("/media/anything.m3u8");
    expect(media.status).toBe(403);
    const stillSignedIn = await agent.get("/plans");
    expect(stillSignedIn.status).toBe(200);
  });

  it("reminds once per period for plans ending within the window", async () => {
    const soon = await activeSubscriber(ctx.deps, 2);
    const later = await activeSubscriber(ctx.deps, 20);
    const r1 = await remindExpiring(ctx.deps);
    const r2 = await remindExpiring(ctx.deps);
    expect(r1.reminded).toBeGreaterThanOrEqual(1);
    expect(r2.reminded).toBe(0);
    expect(await ctx.deps.models.Outbox.countDocuments({ type: "subscription.expiring", "payload.userId": soon.id })).toBe(1);
    expect(await ctx.deps.models.Outbox.countDocuments({ type: "subscription.expiring", "payload.userId": later.id })).toBe(0);
  });

  it("a renewal for another plan switches plans when the paid period ends", async () => {
    const user = await activeSubscriber(ctx.deps, 3, "basic");
    const { pendingPayment } = await import("../support/billing.js");
    const { approvePayment } = await import("../../src/services/billing/approval.js");
    const p = await pendingPayment(ctx.deps, user.id, "premium");
    await approvePayment(ctx.deps, p.id, { actor: "cli:test" });
    await expireSubscriptions(at(ctx.deps, new Date(Date.now() + 4 * DAY)));
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u?.subscription?.plan).toBe("premium");
    expect(u?.subscription?.status).toBe("active");
    expect(u?.subscription?.nextPlan).toBeNull();
  });
});

describe("purge", () => {
  it("deletes old notifications, finished events and job runs, and keeps recent ones", async () => {
    const user = await insertUser(ctx.deps);
    const old = new Date(Date.now() - 200 * DAY);
    await ctx.deps.models.Notification.collection.insertMany([
      {
        userId: new (await import("mongoose")).Types.ObjectId(user.id),
        type: "x",
        title: "t",
        body: "",
        params: {},
        link: null,
        readAt: null,
        dedupeKey: `old-${user.id}`,
        createdAt: old,
        updatedAt: old,
      },
    ]);
    await ctx.deps.models.Outbox.create({ _id: `old-event-${user.id}`, type: "x", status: "done", doneAt: old, nextAttemptAt: old });
    await ctx.deps.models.JobRun.create({ job: "old-job", fireTime: old, startedAt: old, status: "succeeded" });
    const r = await runJob(ctx.deps, findJob("purge")!, { fireTime: new Date(), trigger: "manual" });
    expect(r.status).toBe("succeeded");
    expect(await ctx.deps.models.Notification.countDocuments({ dedupeKey: `old-${user.id}` })).toBe(0);
    expect(await ctx.deps.models.Outbox.countDocuments({ _id: `old-event-${user.id}` })).toBe(0);
    expect(await ctx.deps.models.JobRun.countDocuments({ job: "old-job" })).toBe(0);
    expect(await ctx.deps.models.JobRun.countDocuments({ job: "purge" })).toBe(1);
  });
});

describe("a run whose worker died", () => {
  it("shows as abandoned once its lease is over, on /admin/jobs and in `jobs runs`", async () => {
    const { adminAgent } = await import("../support/billing.js");
    const { cliEnv, runCli } = await import("../support/cli.js");
    const startedAt = new Date(Date.now() - 120_000);
    await ctx.deps.models.JobRun.create({
      job: "purge",
      fireTime: startedAt,
      worker: "gone:1",
      status: "running",
      startedAt,
      leaseUntil: new Date(startedAt.getTime() + 60_000),
    });

    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const page = await agent.get("/admin/jobs");
    const runs = await runCli(["jobs", "runs", "--job", "purge", "--json"], cliEnv(ctx.config));

    expect(page.text).toContain("Abandoned");
    expect(runs.code).toBe(0);
    expect((JSON.parse(runs.stdout) as { status: string; worker: string }[]).find((r) => r.worker === "gone:1")?.status).toBe("abandoned");
  });
});
