import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../support/cli.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, newAgent, registerUser, signIn, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
let env: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  env = cliEnv(ctx.config);
});
afterAll(async () => {
  await ctx?.close();
});

describe("netflix-admin users", () => {
  it("create-admin reads the password from stdin, creates an admin who can sign in, and audits it", async () => {
    const email = uniqueEmail("admin");
    const res = await runCli(["users", "create-admin", "--email", email, "--name", "Ops", "--password-stdin"], env, `${GOOD_PASSWORD}\n`);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Created admin /);
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    expect(user?.role).toBe("admin");
    expect((await signIn(newAgent(ctx.app), email)).status).toBe(303);
    const audit = await ctx.deps.models.AuditLog.findOne({ action: "user.create-admin", target: `user:${user!._id}` }).lean();
    expect(audit?.actor).toMatch(/^cli:/);
  });

  it("create-admin refuses a weak password with one line and exit 2", async () => {
    const email = uniqueEmail("admin");
    const res = await runCli(["users", "create-admin", "--email", email, "--name", "Ops", "--password-stdin"], env, "short\n");
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/^error: .*at least 10 characters/);
    expect(await ctx.deps.models.User.countDocuments({ email })).toBe(0);
  });

  it("make-admin grants the role once; the second run says already admin and exits 0", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const first = await runCli(["users", "make-admin", email], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("is now an admin");
    const second = await runCli(["users", "make-admin", email.toUpperCase()], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("already an admin");
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    expect(user?.role).toBe("admin");
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "user.make-admin", target: `user:${user!._id}` })).toBe(1);
  });

  it("make-admin ends the user's live sessions, so the new role starts with a new session id", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const agent = newAgent(ctx.app);
    await signIn(agent, email);
    expect((await agent.get("/browse")).status).not.toBe(303);
    expect((await runCli(["users", "make-admin", email], env)).code).toBe(0);
    const after = await agent.get("/browse");
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it("make-admin with an unknown email fails with one line and exit 1", async () => {
    const res = await runCli(["users", "make-admin", uniqueEmail()], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("error: No user with that email or id.\n");
  });

  it("bad usage exits 2 without touching the database", async () => {
    const missingArg = await runCli(["users", "make-admin"], { ...env, MONGODB_URI: "mongodb://127.0.0.1:1/none" });
    expect(missingArg.code).toBe(2);
    expect(missingArg.stderr).toMatch(/missing required argument/);
    const unknown = await runCli(["users", "frobnicate"], env);
    expect(unknown.code).toBe(2);
    const badEmail = await runCli(["users", "make-admin", "not-an-email"], env);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toBe("error: Enter a valid email address.\n");
  });

  it("users list prints a table, and JSON with --json", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email, "Listed Person");
    const table = await runCli(["users", "list"], env);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+EMAIL\s+NAME\s+ROLE\s+STATUS/);
    expect(table.stdout).toContain(email);
    const json = await runCli(["users", "list", "--json"], env);
    const rows = JSON.parse(json.stdout) as { email: string; name: string; role: string }[];
    expect(rows.find((r) => r.email === email)).toMatchObject({ name: "Listed Person", role: "user" });
  });

  it("reports a broken configuration in one line with exit 1", async () => {
    const res = await runCli(["users", "list"], { ...env, SESSION_SECRET: "short" });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toContain("SESSION_SECRET");
  });
});
