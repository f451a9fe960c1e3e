import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listUserSessions } from "../../src/services/accounts/index.js";
import { insertUser, pendingPayment, signedInAs } from "../support/billing.js";
import { runCliInProcess } from "../support/cli.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom, csrfToken, GOOD_PASSWORD, newAgent, sessionIdFrom, signIn, type Agent } from "../support/http.js";
import { enrolTwoFactor, sendSignInCode, signInWithTotp, storedTotpKey, totpCode } from "../support/two-factor.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ PASSWORD_CHECK_MAX_FAILURES: "4" });
});
afterAll(async () => {
  await ctx?.close();
});

async function post(agent: Agent, path: string, body: Record<string, string>, page = "/account/two-factor") {
  const token = await csrfToken(agent, page);
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: token, ...body });
}

const signedIn = async (agent: Agent) => (await agent.get("/account")).status === 200;

describe("turning two-step sign-in on and off", () => {
  it("a subscriber enrols from the account page: password, QR code, a checked code, then ten recovery codes shown once; the key is stored encrypted", async () => {
    const user = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    const other = await signedInAs(ctx.app, user.email);

    const account = await agent.get("/account");
    const wrongPassword = await post(agent, "/account/two-factor/setup", { password: "not my password 1" });
    const setup = await post(agent, "/account/two-factor/setup", { password: GOOD_PASSWORD });
    const key = /data-testid="totp-secret">([A-Z2-7]+)</.exec(setup.text)?.[1] ?? "";
    const wrongCode = await post(agent, "/account/two-factor/enable", { code: "000000" });
    const sessionsBefore = (await listUserSessions(ctx.deps.redis, user.id)).map((s) => s.id);
    const done = await post(agent, "/account/two-factor/enable", { code: await generate({ secret: key }) });
    const codes = [...done.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    const later = await agent.get("/account/two-factor");
    const stored = (await ctx.deps.models.User.findById(user.id).lean())!.twoFactor;

    expect(account.text).toContain('href="/account/two-factor"');
    expect(wrongPassword.status).toBe(422);
    expect(setup.status).toBe(200);
    expect(setup.headers["cache-control"]).toBe("no-store");
    expect(setup.text).toContain('src="data:image/png;base64,');
    expect(key).toMatch(/^[A-Z2-7]{26,}$/);
    expect(wrongCode.status).toBe(422);
    expect(wrongCode.text).toContain("That code is not right");
    expect(done.status).toBe(200);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Never again: not on the page, not in plain text in the database.
    expect(later.text).toContain("Recovery codes left: 10");
    expect(later.text).not.toContain(key);
    expect(later.text).not.toContain(codes[0]);
    expect(stored.secret).not.toContain(key);
    expect(await storedTotpKey(ctx.deps, user.id)).toBe(key);
    expect(stored.recoveryCodes.join()).not.toContain(codes[0]!.replace("-", ""));
    expect(stored.pendingSecret).toBeNull();
    // Turning it on ends the other sessions and moves this one to a new id.
    expect(await signedIn(agent)).toBe(true);
    expect(await signedIn(other)).toBe(false);
    const sessionsAfter = (await listUserSessions(ctx.deps.redis, user.id)).map((s) => s.id);
    expect(sessionsAfter).toHaveLength(1);
    expect(sessionsBefore).toHaveLength(2);
    expect(sessionsBefore).not.toContain(sessionsAfter[0]);
    expect(sessionIdFrom(done.headers["set-cookie"])).toBe(sessionsAfter[0]);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "account.2fa-enable", target: `user:${user.id}` })).toBe(1);
  });

  it("a subscriber turns it off again with the password; sign-in then asks for no code", async () => {
    const user = await insertUser(ctx.deps);
    await enrolTwoFactor(ctx.deps, user.id);
    const agent = newAgent(ctx.app);
    expect((await signInWithTotp(agent, ctx.deps, user)).status).toBe(303);

    const wrong = await post(agent, "/account/two-factor/disable", { password: "not my password 1" });
    const off = await post(agent, "/account/two-factor/disable", { password: GOOD_PASSWORD });
    const again = await signIn(newAgent(ctx.app), user.email);

    expect(wrong.status).toBe(422);
    expect(off.status).toBe(303);
    expect(again.status).toBe(303);
    // No code step: straight in, to the plans (this account has none yet).
    expect(again.headers.location).toBe("/plans");
  });
});

describe("signing in with two-step sign-in on", () => {
  it("the password alone opens only the code step; a wrong code is refused, the right one signs in", async () => {
    const user = await insertUser(ctx.deps);
    await enrolTwoFactor(ctx.deps, user.id);
    const agent = newAgent(ctx.app);

    const password = await signIn(agent, user.email, GOOD_PASSWORD, { next: "/account" });
    const before = await agent.get("/account");
    const step = await agent.get("/login/two-factor");
    const wrong = await sendSignInCode(agent, "123456");
    const garbage = await sendSignInCode(agent, "12x4");
    const right = await sendSignInCode(agent, await totpCode(ctx.deps, user.id));

    expect(password.status).toBe(303);
    expect(password.headers.location).toBe("/login/two-factor");
    expect(before.status).toBe(303);
    expect(before.headers.location).toMatch(/^\/login/);
    expect(step.status).toBe(200);
    expect(step.text).toContain('autocomplete="one-time-code"');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("That code is not right");
    expect(garbage.status).toBe(422);
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe("/account");
    expect(await signedIn(agent)).toBe(true);
  });

  it("a code from a step already used is refused (replay), even from another browser", async () => {
    const user = await insertUser(ctx.deps);
    await enrolTwoFactor(ctx.deps, user.id);
    const code = await totpCode(ctx.deps, user.id);
    const a = newAgent(ctx.app);
    const b = newAgent(ctx.app);
    await signIn(a, user.email);
    await signIn(b, user.email);

    const first = await sendSignInCode(a, code);
    const replay = await sendSignInCode(b, code);

    expect(first.status).toBe(303);
    expect(replay.status).toBe(422);
    expect(await signedIn(b)).toBe(false);
  });

  it("each recovery code signs in once", async () => {
    const user = await insertUser(ctx.deps);
    const codes = await enrolTwoFactor(ctx.deps, user.id);
    const a = newAgent(ctx.app);
    const b = newAgent(ctx.app);
    await signIn(a, user.email);
    await signIn(b, user.email);

    const first = await sendSignInCode(a, codes[3]!.toUpperCase());
    const again = await sendSignInCode(b, codes[3]!);

    expect(first.status).toBe(303);
    expect(first.headers.location).toBe("/account/two-factor");
    expect((await a.get("/account/two-factor")).text).toContain("9 left");
    expect(again.status).toBe(422);
    expect((await ctx.deps.models.User.findById(user.id).lean())!.twoFactor.recoveryCodes).toHaveLength(9);
  });

  it("codes are counted like passwords: over the limit the answer is 429, even for the right code", async () => {
    const user = await insertUser(ctx.deps);
    await enrolTwoFactor(ctx.deps, user.id);
    const agent = newAgent(ctx.app).set("Accept-Language", "vi");
    await signIn(agent, user.email);

    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await sendSignInCode(agent, "000000")).status);
    const over = await sendSignInCode(agent, await totpCode(ctx.deps, user.id));

    expect(statuses).toEqual([422, 422, 422, 422]);
    expect(over.status).toBe(429);
    expect(over.text).toContain("Nhập sai mã quá nhiều lần");
    expect(await signedIn(agent)).toBe(false);
  });

  it("parallel guesses are counted before they are checked: at most the limit get an answer other than 429", async () => {
    const user = await insertUser(ctx.deps);
    await enrolTwoFactor(ctx.deps, user.id);
    const agent = newAgent(ctx.app);
    await signIn(agent, user.email);
    const token = await csrfToken(agent, "/login");

    const guesses = Array.from({ length: 30 }, (_, i) => String(100000 + i));
    const statuses = await Promise.all(
      guesses.map((code) =>
        agent
          .post("/login/two-factor")
          .type("form")
          .send({ _csrf: token, code })
          .then((r) => r.status),
      ),
    );

    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(26);
  });

  it("without a password step first there is no code step", async () => {
    const agent = newAgent(ctx.app);
    expect((await agent.get("/login/two-factor")).headers.location).toBe("/login");
    const res = await sendSignInCode(agent, "123456");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
  });
});

describe("admins must use two-step sign-in", () => {
  it("an admin without it is sent to set it up from admin pages, htmx requests and admin actions, which do nothing", async () => {
    const admin = await insertUser(ctx.deps, { role: "admin" });
    const payer = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, payer.id);
    const agent = await signedInAs(ctx.app, admin.email);
    const token = csrfFrom((await agent.get("/account")).text);

    const page = await agent.get("/admin/users");
    const htmx = await agent.get("/admin/payments").set("HX-Request", "true");
    const action = await agent.post(`/admin/payments/${payment.id}/approve`).set("x-csrf-token", token).type("form").send({});
    const htmxAction = await agent.post(`/admin/payments/${payment.id}/approve`).set("HX-Request", "true").set("x-csrf-token", token).type("form").send({});
    const setupPage = await agent.get("/account/two-factor");

    expect(page.status).toBe(303);
    expect(page.headers.location).toBe("/account/two-factor");
    expect(htmx.status).toBe(200);
    expect(htmx.headers["hx-redirect"]).toBe("/account/two-factor");
    expect(action.status).toBe(303);
    expect(action.headers.location).toBe("/account/two-factor");
    expect(htmxAction.headers["hx-redirect"]).toBe("/account/two-factor");
    expect((await ctx.deps.models.Payment.findById(payment.id).lean())!.status).toBe("pending");
    expect(setupPage.text).toContain("Admin accounts must use two-step sign-in");
  });

  it("after enrolling through the pages the admin gets in, and cannot turn it off", async () => {
    const admin = await insertUser(ctx.deps, { role: "admin" });
    const agent = await signedInAs(ctx.app, admin.email);
    await post(agent, "/account/two-factor/setup", { password: GOOD_PASSWORD });
    const enabled = await post(agent, "/account/two-factor/enable", { code: await totpCode(ctx.deps, admin.id, "pendingSecret") });

    const adminPage = await agent.get("/admin");
    const off = await post(agent, "/account/two-factor/disable", { password: GOOD_PASSWORD });

    expect(enabled.status).toBe(200);
    expect(adminPage.status).toBe(200);
    expect(off.status).toBe(403);
    expect((await ctx.deps.models.User.findById(admin.id).lean())!.twoFactor.enabledAt).not.toBeNull();
  });

  it("operators see whether it is on, never the key or the recovery codes (admin page, `users show`)", async () => {
    const user = await insertUser(ctx.deps);
    await enrolTwoFactor(ctx.deps, user.id);
    const sealed = (await ctx.deps.models.User.findById(user.id).lean())!.twoFactor.secret!;
    const key = await storedTotpKey(ctx.deps, user.id);
    const { adminAgent } = await import("../support/billing.js");
    const { agent } = await adminAgent(ctx.app, ctx.deps);

    const page = await agent.get(`/admin/users/${user.id}`);
    const shown = await runCliInProcess(ctx.deps, ["users", "show", user.email, "--json"]);
    const text = await runCliInProcess(ctx.deps, ["users", "show", user.email]);

    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-testid="two-factor">On since/);
    expect(JSON.parse(shown.stdout).twoFactorEnabledAt).toBeTruthy();
    expect(text.stdout).toContain("2fa:          on since");
    for (const out of [page.text, shown.stdout, text.stdout]) {
      expect(out).not.toContain(key);
      expect(out).not.toContain(sealed);
      expect(out).not.toContain("recoveryCodes");
    }
  });

  it("`users reset-2fa` turns it off and signs the account out; the admin must enrol again", async () => {
    const admin = await insertUser(ctx.deps, { role: "admin" });
    await enrolTwoFactor(ctx.deps, admin.id);
    const agent = newAgent(ctx.app);
    await signInWithTotp(agent, ctx.deps, admin);
    expect((await agent.get("/admin")).status).toBe(200);

    const res = await runCliInProcess(ctx.deps, ["users", "reset-2fa", admin.email]);
    const json = await runCliInProcess(ctx.deps, ["users", "reset-2fa", admin.email, "--json"]);
    const unknown = await runCliInProcess(ctx.deps, ["users", "reset-2fa", "nobody@example.com"]);
    const again = newAgent(ctx.app);
    const login = await signIn(again, admin.email);

    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Two-step sign-in turned off for ${admin.email}`);
    expect(JSON.parse(json.stdout)).toMatchObject({ email: admin.email, wasOn: false });
    expect(unknown.code).not.toBe(0);
    expect(await listUserSessions(ctx.deps.redis, admin.id)).toHaveLength(1);
    expect((await agent.get("/admin")).status).toBe(303);
    expect(login.headers.location).toBe("/browse");
    expect((await again.get("/admin")).headers.location).toBe("/account/two-factor");
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "user.reset-2fa", target: `user:${admin.id}`, actor: "cli:test" })).toBe(2);
  });
});
