import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveConfirmedPayments } from "../../src/services/billing/approval.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { activeSubscriber, insertUser, pendingPayment, signedInAs } from "../support/billing.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs `netflix-admin` as a child process against the test's MongoDB and Redis. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "src/cli/main.ts", ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        MONGODB_URI: ctx.config.mongoUri,
        REDIS_URL: ctx.config.redisUrl,
        SESSION_SECRET: ctx.config.session.secret,
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("netflix-admin approve / reject / payments", () => {
  it("approve by email activates, and a second approve says already approved with exit 0", async () => {
    const user = await insertUser(ctx.deps);
    const p = await pendingPayment(ctx.deps, user.id);
    const first = await cli(["approve", user.email]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Approved payment ${p.reference}`);
    const second = await cli(["approve", user.email, "--payment", p.id, "--json"]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ outcome: "already-approved", paymentId: p.id, reference: p.reference });
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("active");
    const audit = await ctx.deps.models.AuditLog.find({ action: "payment.approve", target: `payment:${p.id}` }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^cli:/);
  });

  it("the CLI and the approve job together activate once", async () => {
    const user = await insertUser(ctx.deps);
    const p = await pendingPayment(ctx.deps, user.id);
    await ctx.deps.models.Payment.updateOne({ _id: p.id }, { $set: { status: "confirmed" } });
    const [cliRun, job] = await Promise.all([
      cli(["approve", user.id, "--payment", p.id, "--json"]),
      (async () => {
        await new Promise((r) => setTimeout(r, 300));
        return approveConfirmedPayments(ctx.deps);
      })(),
    ]);
    expect(cliRun.code).toBe(0);
    const cliApproved = JSON.parse(cliRun.stdout).outcome === "approved" ? 1 : 0;
    expect(cliApproved + job.approved).toBe(1);
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u?.subscription?.appliedPayments).toEqual([p.id]);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "payment.approve", target: `payment:${p.id}` })).toBe(1);
    expect(await ctx.deps.models.Outbox.countDocuments({ _id: `payment.approved:${p.id}` })).toBe(1);
  });

  it("reject needs --reason (usage error, exit 2) and records it", async () => {
    const user = await insertUser(ctx.deps);
    const p = await pendingPayment(ctx.deps, user.id);
    const missing = await cli(["reject", user.email]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--reason");
    const ok = await cli(["reject", user.email, "--reason", "amount did not match"]);
    expect(ok.code).toBe(0);
    expect((await ctx.deps.models.Payment.findById(p.id).lean())?.reason).toBe("amount did not match");
  });

  it("fails with one line and exit 1 for an unknown user or a user without a waiting payment", async () => {
    const unknown = await cli(["approve", "nobody@example.com"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("error: No user with that email or id.");
    const user = await insertUser(ctx.deps);
    const none = await cli(["approve", user.email]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim().split("\n")).toHaveLength(1);
    expect(none.stderr).not.toContain("    at ");
  });

  it("payments list prints a table, filters by status and gives JSON for scripts", async () => {
    const user = await insertUser(ctx.deps);
    const p = await pendingPayment(ctx.deps, user.id);
    const table = await cli(["payments", "list", "--status", "pending"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+EMAIL\s+PLAN\s+AMOUNT/);
    expect(table.stdout).toContain(p.reference);
    const json = await cli(["payments", "list", "--status", "pending", "--json"]);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.find((r) => r.id === p.id)).toMatchObject({ email: user.email, status: "pending", amount: p.amount, currency: "VND", reference: p.reference });
    const bad = await cli(["payments", "list", "--status", "paid"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("status must be one of");
  });
});

describe("netflix-admin users / subscriptions / sessions / jobs", () => {
  it("users show, suspend and unsuspend; suspension ends live sessions", async () => {
    const sub = await activeSubscriber(ctx.deps);
    const agent = await signedInAs(ctx.app, sub.email);
    const show = await cli(["users", "show", sub.email, "--json"]);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      id: sub.id,
      email: sub.email,
      status: "active",
      subscription: { status: "active", plan: "standard" },
      sessions: 1,
    });
    const suspend = await cli(["users", "suspend", sub.email]);
    expect(suspend.code).toBe(0);
    expect(suspend.stdout).toContain("is suspended");
    expect((await agent.get("/plans")).status).toBe(303);
    expect((await cli(["users", "suspend", sub.email])).stdout).toContain("already suspended");
    const un = await cli(["users", "unsuspend", sub.id, "--json"]);
    expect(JSON.parse(un.stdout)).toMatchObject({ changed: true });
    const actions = (await ctx.deps.models.AuditLog.find({ target: `user:${sub.id}` }).lean()).map((a) => a.action);
    expect(actions).toEqual(["user.suspend", "user.unsuspend"]);
  });

  it("subscriptions expire --dry-run lists without changing, then expire changes once", async () => {
    const user = await insertUser(ctx.deps, { subscription: { plan: "basic", status: "active", currentPeriodEnd: new Date(Date.now() - 5000) } });
    const dry = await cli(["subscriptions", "expire", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).users.map((u: { userId: string }) => u.userId)).toContain(user.id);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("active");
    const run = await cli(["subscriptions", "expire"]);
    expect(run.stdout).toMatch(/Expired \d+ subscription/);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("expired");
    const again = await cli(["subscriptions", "expire", "--json"]);
    expect(JSON.parse(again.stdout).expired).toBe(0);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "subscription.expire", target: `user:${user.id}` })).toBe(1);
  });

  it("sessions revoke signs the user out everywhere", async () => {
    const sub = await activeSubscriber(ctx.deps);
    const a = await signedInAs(ctx.app, sub.email);
    const b = await signedInAs(ctx.app, sub.email);
    const res = await cli(["sessions", "revoke", sub.email]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Revoked 2 session(s)");
    expect((await a.get("/plans")).status).toBe(303);
    expect((await b.get("/plans")).status).toBe(303);
  });

  it("jobs list shows every job and jobs run runs one with the same lock", async () => {
    const list = await cli(["jobs", "list", "--json"]);
    expect(list.code).toBe(0);
    const jobs = JSON.parse(list.stdout) as { name: string; schedule: string }[];
    expect(jobs.map((j) => j.name)).toContain("expire-subscriptions");
    const run = await cli(["jobs", "run", "expire-stale-payments", "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "succeeded", job: "expire-stale-payments" });
    expect(await ctx.deps.models.JobRun.countDocuments({ job: "expire-stale-payments", trigger: "manual" })).toBe(1);
    const unknown = await cli(["jobs", "run", "make-coffee"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown job "make-coffee"');
  });

  it("bad usage exits 2 without touching the database", async () => {
    const res = await cli(["approve"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("missing required argument");
  });
});
