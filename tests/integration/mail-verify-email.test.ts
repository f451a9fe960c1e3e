import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { adminAgent, at } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { newAgent, registerUser, signIn, uniqueEmail, type Agent } from "../support/http.js";
import { deliverMail, linkIn, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";

let ctx: TestContext;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  ctx = await createTestContext({ SMTP_URL: mail.smtpUrl, PUBLIC_URL: TEST_PUBLIC_URL, VERIFY_RESEND_MAX_PER_HOUR: "2" });
});
afterAll(async () => {
  await ctx?.close();
  await mail?.close();
});

async function registered(locale = "en"): Promise<{ agent: Agent; email: string }> {
  const agent = newAgent(ctx.app).set("Accept-Language", locale);
  const email = uniqueEmail();
  await registerUser(agent, email, "Minh");
  await signIn(agent, email);
  return { agent, email };
}

async function verifyLinkFor(email: string): Promise<string> {
  await deliverMail(ctx.deps);
  const sent = mailsTo(mail, email).filter((m) => m.text.includes("/verify-email?token="));
  return linkIn(sent.at(-1)!, "/verify-email");
}

async function resend(agent: Agent) {
  const page = await agent.get("/account");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  return agent.post("/verify-email/resend").type("form").send({ _csrf: csrf });
}

describe("verifying the email address", () => {
  it("register -> verification mail -> the link confirms the address and the banner goes away", async () => {
    const { agent, email } = await registered();
    const before = await agent.get("/account");

    const link = await verifyLinkFor(email);
    const opened = await agent.get(link);
    const after = await agent.get("/account");

    expect(before.text).toContain('data-testid="verify-banner"');
    expect(opened.status).toBe(303);
    expect(after.text).not.toContain('data-testid="verify-banner"');
    expect((await ctx.deps.models.User.findOne({ email }).lean())?.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it("the verification mail is in the language the account was created in", async () => {
    const { email } = await registered("vi");
    await deliverMail(ctx.deps);
    expect(mailsTo(mail, email).map((m) => m.subject)).toContain("Xác nhận địa chỉ email của bạn");
  });

  it("a link works once, and an expired one is refused with a clear 400", async () => {
    const first = await registered();
    const link = await verifyLinkFor(first.email);
    await newAgent(ctx.app).get(link);
    const reused = await newAgent(ctx.app).get(link);

    const second = await registered();
    const later = createApp(at(ctx.deps, new Date(Date.now() + 25 * 3_600_000)), { shuttingDown: false });
    const expired = await newAgent(later).get(await verifyLinkFor(second.email));

    expect(reused.status).toBe(400);
    expect(reused.text).toContain("This confirmation link is no longer valid");
    expect(expired.status).toBe(400);
    expect((await ctx.deps.models.User.findOne({ email: second.email }).lean())?.emailVerifiedAt).toBeNull();
    expect((await newAgent(ctx.app).get("/verify-email?token=%00")).status).toBe(400);
  });

  it("resend mails a new link (the old one stops working) and is throttled per user", async () => {
    const { agent, email } = await registered();
    const old = await verifyLinkFor(email);

    const statuses = [(await resend(agent)).status, (await resend(agent)).status, (await resend(agent)).status];
    const fresh = await verifyLinkFor(email);

    expect(statuses).toEqual([303, 303, 429]);
    expect((await newAgent(ctx.app).get(old)).status).toBe(400);
    expect((await newAgent(ctx.app).get(fresh)).status).toBe(303);
  });

  it("admins see on the user page whether the address is confirmed", async () => {
    const { email } = await registered();
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    const { agent: admin } = await adminAgent(ctx.app, ctx.deps);

    const before = await admin.get(`/admin/users/${String(user!._id)}`);
    await newAgent(ctx.app).get(await verifyLinkFor(email));
    const after = await admin.get(`/admin/users/${String(user!._id)}`);

    expect(before.text).toMatch(/data-testid="email-verified">Not confirmed</);
    expect(after.text).not.toContain("Not confirmed");
  });
});
