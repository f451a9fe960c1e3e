// The CLI does what the admin pages do, through the same services; every --json answer parses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess, type CliResult } from "../support/cli.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { activeSubscriber, insertUser, pendingPayment, signedInAs } from "../support/billing.js";
import { makeTitle, uniqueSlug } from "../support/catalog-fixtures.js";
import { uniqueEmail } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const cli = (...args: string[]) => runCliInProcess(ctx.deps, args);
/** Runs a --json command, expects success and returns the parsed stdout. */
async function json<T = unknown>(...args: string[]): Promise<T> {
  const res: CliResult = await cli(...args, "--json");
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as T;
}
const auditOf = (action: string, target: string) => ctx.deps.models.AuditLog.find({ action, target }).lean();

describe("netflix-admin users", () => {
  it("list filters like the admin page and search finds by email prefix", async () => {
    const prefix = `srch${Date.now().toString(36)}`;
    const sub = await activeSubscriber(ctx.deps);
    await insertUser(ctx.deps, { email: `${prefix}-a@example.com` });
    const found = await json<{ email: string }[]>("users", "search", prefix);
    expect(found.map((u) => u.email)).toEqual([`${prefix}-a@example.com`]);
    const active = await json<{ id: string; subscription: string }[]>("users", "list", "--subscription", "active", "--limit", "500");
    expect(active.map((u) => u.id)).toContain(sub.id);
    expect(active.every((u) => u.subscription === "active")).toBe(true);
  });

  it("extend and set-plan change the subscription and are audited once each under the page's action names", async () => {
    const user = await insertUser(ctx.deps);
    const extended = await json<{ periodEnd: string; days: number }>("users", "extend", user.email, "--days", "30");
    expect(extended.days).toBe(30);
    expect(new Date(extended.periodEnd).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const plan = await json<{ plan: string }>("users", "set-plan", user.id, "premium");
    expect(plan.plan).toBe("premium");
    const sub = (await ctx.deps.models.User.findById(user.id).lean())?.subscription;
    expect(sub).toMatchObject({ status: "active", plan: "premium" });
    expect(await auditOf("subscription.extend", `user:${user.id}`)).toHaveLength(1);
    expect((await auditOf("subscription.set-plan", `user:${user.id}`))[0]?.actor).toBe("cli:test");
  });

  it("set-plan with an unknown plan and extend without --days are usage errors (exit 2)", async () => {
    const user = await insertUser(ctx.deps);
    const badPlan = await cli("users", "set-plan", user.email, "platinum");
    expect(badPlan.code).toBe(2);
    expect(badPlan.stderr).toMatch(/^error: unknown plan "platinum"; one of: mobile, basic, standard, premium\n$/);
    expect((await cli("users", "extend", user.email)).code).toBe(2);
    expect((await cli("users", "extend", user.email, "--days", "0")).code).toBe(2);
  });

  it("sign-out ends every session of the user", async () => {
    const user = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    const r = await json<{ revoked: number }>("users", "sign-out", user.email);
    expect(r.revoked).toBe(1);
    expect((await agent.get("/browse")).status).toBe(303);
  });

  it("create-admin and make-admin answer JSON too", async () => {
    const created = await runCliInProcess(
      ctx.deps,
      ["users", "create-admin", "--email", uniqueEmail("adm"), "--name", "Ops", "--password-stdin", "--json"],
      "correct horse 2024\n",
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ role: "admin" });
    const user = await insertUser(ctx.deps);
    expect(await json("users", "make-admin", user.email)).toMatchObject({ id: user.id, changed: true });
  });
});

describe("netflix-admin sessions", () => {
  it("lists a user's live sessions without their full ids, and revoke ends them", async () => {
    const user = await insertUser(ctx.deps);
    await signedInAs(ctx.app, user.email);
    const sessions = await json<{ session: string; lastSeenAt: string | null }[]>("sessions", "list", user.email);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.session).toHaveLength(8);
    expect(await json("sessions", "revoke", user.id)).toMatchObject({ revoked: 1 });
    expect(await json("sessions", "list", user.id)).toEqual([]);
  });
});

describe("netflix-admin payments", () => {
  it("payments approve and reject decide like the top-level commands; repeats exit 0 and say already", async () => {
    const payer = await insertUser(ctx.deps);
    const p = await pendingPayment(ctx.deps, payer.id);
    expect(await json("payments", "approve", payer.email)).toMatchObject({ outcome: "approved", paymentId: p.id });
    // No payment is waiting any more: the user's newest payment is the one meant, already approved.
    const again = await cli("approve", payer.email);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`Payment ${p.reference} (${p.id}) was already approved; nothing changed.\n`);
    expect(await auditOf("payment.approve", `payment:${p.id}`)).toHaveLength(1);

    const other = await insertUser(ctx.deps);
    const q = await pendingPayment(ctx.deps, other.id);
    expect(await json("payments", "reject", other.email, "--reason", "no transfer arrived")).toMatchObject({ outcome: "rejected" });
    expect(await json("reject", other.email, "--reason", "no transfer arrived")).toMatchObject({ outcome: "already-rejected", paymentId: q.id });
    const listed = await json<{ id: string; status: string }[]>("payments", "list", "--user", other.email);
    expect(listed).toEqual([expect.objectContaining({ id: q.id, status: "rejected" })]);
  });

  it("approving a user whose newest payment was rejected still fails: nothing is waiting", async () => {
    const user = await insertUser(ctx.deps);
    await pendingPayment(ctx.deps, user.id);
    expect((await cli("reject", user.email, "--reason", "wrong amount")).code).toBe(0);
    const res = await cli("approve", user.email);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("error: That user has no payment waiting for a decision.\n");
  });
});

describe("netflix-admin catalog", () => {
  it("list, show, publish and unpublish by slug; each change is audited once as title.publish / title.unpublish", async () => {
    const slug = uniqueSlug("cli");
    const draft = await makeTitle(ctx.deps, { slug, title: "Cli Draft Title" }, false);
    const id = String(draft._id);
    const drafts = await json<{ id: string; status: string }[]>("catalog", "list", "--status", "draft", "--limit", "1000");
    expect(drafts).toContainEqual(expect.objectContaining({ id, status: "draft" }));
    expect(await json("catalog", "show", slug)).toMatchObject({ _id: id, slug, status: "draft" });
    expect(await json("catalog", "publish", slug)).toMatchObject({ id, status: "published", changed: true });
    expect(await json("catalog", "publish", id)).toMatchObject({ changed: false });
    expect(await json("catalog", "unpublish", slug)).toMatchObject({ status: "draft", changed: true });
    expect((await auditOf("title.publish", `title:${id}`)).map((a) => a.actor)).toEqual(["cli:test"]);
    expect(await auditOf("title.unpublish", `title:${id}`)).toHaveLength(1);
  });

  it("an unknown title is one line and exit 1", async () => {
    const res = await cli("catalog", "show", "no-such-title");
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("netflix-admin jobs and audit", () => {
  it("jobs runs lists a manual run, which is audited once as job.run", async () => {
    const before = await ctx.deps.models.AuditLog.countDocuments({ action: "job.run", target: "job:expire-subscriptions" });
    expect(await json("jobs", "run", "expire-subscriptions")).toMatchObject({ status: "succeeded" });
    const runs = await json<{ job: string; trigger: string; triggeredBy: string }[]>("jobs", "runs", "--job", "expire-subscriptions");
    expect(runs[0]).toMatchObject({ job: "expire-subscriptions", trigger: "manual", triggeredBy: "cli:test" });
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "job.run", target: "job:expire-subscriptions" })).toBe(before + 1);
    expect((await cli("jobs", "runs", "--job", "nope")).code).toBe(2);
  });

  it("audit filters by actor, action prefix and time window", async () => {
    const user = await insertUser(ctx.deps);
    await cli("users", "suspend", user.email);
    const mine = await json<{ actor: string; action: string; target: string }[]>("audit", "--actor", "cli:test", "--action", "user.susp", "--since", "1h");
    expect(mine).toContainEqual(expect.objectContaining({ actor: "cli:test", action: "user.suspend", target: `user:${user.id}` }));
    expect(mine.every((a) => a.action.startsWith("user.susp"))).toBe(true);
    expect(await json("audit", "--action", "user.suspend", "--until", "2000-01-01")).toEqual([]);
    const bad = await cli("audit", "--since", "last tuesday");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --since: "last tuesday" is not a date/);
  });
});
