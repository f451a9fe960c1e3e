import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { listUserSessions } from "../../src/services/accounts/index.js";
import { at, insertUser } from "../support/billing.js";
import { runCliInProcess } from "../support/cli.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfToken, GOOD_PASSWORD, newAgent, signIn, uniqueEmail, type Agent } from "../support/http.js";
import { deliverMail, linkIn, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";

const NEW_PASSWORD = "a brand new secret 7";

let ctx: TestContext;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  // Each test signs in from its own X-Forwarded-For address, so per-IP limits do not collide.
  ctx = await createTestContext({ SMTP_URL: mail.smtpUrl, PUBLIC_URL: TEST_PUBLIC_URL, TRUST_PROXY_HOPS: "1", PASSWORD_RESET_MAX_PER_IP_PER_HOUR: "5" });
});
afterAll(async () => {
  await ctx?.close();
  await mail?.close();
});

const someIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function askForReset(agent: Agent, email: string, ip = someIp()) {
  const token = await csrfToken(agent, "/forgot-password");
  return agent.post("/forgot-password").set("X-Forwarded-For", ip).type("form").send({ _csrf: token, email });
}

async function setPassword(agent: Agent, path: string, password = NEW_PASSWORD, confirmPassword = password) {
  const page = await agent.get(path);
  const token = /name="token" value="([^"]*)"/.exec(page.text)?.[1] ?? new URL(path, "http://x").searchParams.get("token") ?? "";
  const csrf = await csrfToken(agent, "/forgot-password");
  return agent.post("/reset-password").type("form").send({ _csrf: csrf, token, password, confirmPassword });
}

async function resetLinkFor(email: string): Promise<string> {
  await deliverMail(ctx.deps);
  const sent = mailsTo(mail, email).filter((m) => m.subject.includes("Reset your"));
  return linkIn(sent.at(-1)!, "/reset-password");
}

describe("forgot password", () => {
  it("the sign-in page links to it", async () => {
    const res = await newAgent(ctx.app).get("/login");
    expect(res.text).toContain('href="/forgot-password"');
  });

  it("forgot -> mail -> new password: every old session is signed out, the old password stops working and a notice is mailed", async () => {
    const user = await insertUser(ctx.deps);
    const oldDevice = newAgent(ctx.app);
    expect((await signIn(oldDevice, user.email)).status).toBe(303);

    const asked = await askForReset(newAgent(ctx.app), user.email);
    const link = await resetLinkFor(user.email);
    const done = await setPassword(newAgent(ctx.app), link);
    await deliverMail(ctx.deps);

    expect(asked.status).toBe(303);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe("/login");
    expect(await listUserSessions(ctx.deps.redis, user.id)).toHaveLength(0);
    expect((await oldDevice.get("/account")).status).toBe(303);
    expect((await signIn(newAgent(ctx.app), user.email, GOOD_PASSWORD)).status).toBe(401);
    expect((await signIn(newAgent(ctx.app), user.email, NEW_PASSWORD)).status).toBe(303);
    expect(mailsTo(mail, user.email).map((m) => m.subject)).toContain("Your Nextflix password was changed");
    // Once mailed, the secret is kept only as a hash.
    const queued = await ctx.deps.models.Outbox.find({ type: "password.reset", "payload.userId": user.id }).lean();
    expect(queued.map((e) => (e.payload as { token?: string }).token)).toEqual([undefined]);
  });

  it("an unknown address gets the same answer and no mail is sent", async () => {
    const known = await insertUser(ctx.deps);
    const unknown = uniqueEmail("nobody");

    const a = await askForReset(newAgent(ctx.app), known.email);
    const b = await askForReset(newAgent(ctx.app), unknown);
    await deliverMail(ctx.deps);

    expect(b.status).toBe(a.status);
    expect(b.headers.location).toBe(a.headers.location);
    expect(mailsTo(mail, unknown)).toHaveLength(0);
    expect(mailsTo(mail, known.email)).toHaveLength(1);
  });

  it("a link works once", async () => {
    const user = await insertUser(ctx.deps);
    await askForReset(newAgent(ctx.app), user.email);
    const link = await resetLinkFor(user.email);

    const first = await setPassword(newAgent(ctx.app), link);
    const again = await newAgent(ctx.app).get(link);
    const reuse = await setPassword(newAgent(ctx.app), link, "yet another secret 9");

    expect(first.status).toBe(303);
    expect(again.status).toBe(400);
    expect(again.text).toContain("This link is no longer valid");
    expect(reuse.status).toBe(400);
    expect((await signIn(newAgent(ctx.app), user.email, NEW_PASSWORD)).status).toBe(303);
  });

  it("a link older than an hour is refused", async () => {
    const user = await insertUser(ctx.deps);
    await askForReset(newAgent(ctx.app), user.email);
    const link = await resetLinkFor(user.email);
    const anHourLater = createApp(at(ctx.deps, new Date(Date.now() + 3_601_000)), { shuttingDown: false });

    const res = await setPassword(newAgent(anHourLater), link);

    expect(res.status).toBe(400);
    expect((await signIn(newAgent(ctx.app), user.email, GOOD_PASSWORD)).status).toBe(303);
  });

  it("a newer request makes the earlier link stop working", async () => {
    const user = await insertUser(ctx.deps);
    await askForReset(newAgent(ctx.app), user.email);
    const first = await resetLinkFor(user.email);
    await askForReset(newAgent(ctx.app), user.email);
    const second = await resetLinkFor(user.email);

    expect(second).not.toBe(first);
    expect((await setPassword(newAgent(ctx.app), first)).status).toBe(400);
    expect((await setPassword(newAgent(ctx.app), second)).status).toBe(303);
  });

  it("a weak or mismatched new password is refused with 422 and the link still works", async () => {
    const user = await insertUser(ctx.deps);
    await askForReset(newAgent(ctx.app), user.email);
    const link = await resetLinkFor(user.email);

    const weak = await setPassword(newAgent(ctx.app), link, "short");
    const differ = await setPassword(newAgent(ctx.app), link, NEW_PASSWORD, "something else 12");
    const ok = await setPassword(newAgent(ctx.app), link);

    expect(weak.status).toBe(422);
    expect(weak.text).toContain("aria-invalid");
    expect(differ.status).toBe(422);
    expect(ok.status).toBe(303);
  });

  it("a made-up or malformed token is a clear 400, never a 500", async () => {
    const agent = newAgent(ctx.app);
    expect((await agent.get("/reset-password?token=nope")).status).toBe(400);
    expect((await agent.get("/reset-password")).status).toBe(400);
    const csrf = await csrfToken(agent, "/forgot-password");
    const res = await agent
      .post("/reset-password")
      .type("form")
      .send({ _csrf: csrf, token: "x".repeat(43), password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
  });

  it("requests are throttled per address and per network, with a translated 429", async () => {
    const user = await insertUser(ctx.deps);
    const perEmail = [];
    for (let i = 0; i < 3; i += 1) perEmail.push((await askForReset(newAgent(ctx.app), user.email)).status);
    const vi = newAgent(ctx.app).set("Accept-Language", "vi");
    const overEmail = await askForReset(vi, user.email);
    const ip = someIp();
    const perIp = [];
    for (let i = 0; i < 5; i += 1) perIp.push((await askForReset(newAgent(ctx.app), uniqueEmail(), ip)).status);
    const overIp = await askForReset(newAgent(ctx.app), uniqueEmail(), ip);

    expect(perEmail).toEqual([303, 303, 303]);
    expect(overEmail.status).toBe(429);
    expect(overEmail.text).toContain("Quá nhiều yêu cầu đặt lại mật khẩu");
    expect(perIp).toEqual([303, 303, 303, 303, 303]);
    expect(overIp.status).toBe(429);
    expect(overIp.text).toContain("Too many reset requests");
  });

  it("support can mail a reset link from the CLI", async () => {
    const user = await insertUser(ctx.deps);

    const res = await runCliInProcess(ctx.deps, ["users", "send-reset", user.email]);
    const link = await resetLinkFor(user.email);

    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Reset link queued for ${user.email}`);
    expect((await setPassword(newAgent(ctx.app), link)).status).toBe(303);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "user.send-reset", target: `user:${user.id}` })).toBe(1);
  });
});
