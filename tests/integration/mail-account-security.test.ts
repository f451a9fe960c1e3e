import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { at, insertUser, signedInAs } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfToken, GOOD_PASSWORD, newAgent, signIn, uniqueEmail, type Agent } from "../support/http.js";
import { deliverMail, linkIn, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";
import { enrolTwoFactor, signInWithTotp } from "../support/two-factor.js";

let ctx: TestContext;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  ctx = await createTestContext({ SMTP_URL: mail.smtpUrl, PUBLIC_URL: TEST_PUBLIC_URL, TRUST_PROXY_HOPS: "1" });
});
afterAll(async () => {
  await ctx?.close();
  await mail?.close();
});

async function speaking(locale: "en" | "vi") {
  const user = await insertUser(ctx.deps, { displayName: "Lan" });
  await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { locale } });
  return user;
}

async function askForChange(agent: Agent, newEmail: string, password = GOOD_PASSWORD) {
  const token = await csrfToken(agent, "/account");
  return agent.post("/account/email").type("form").send({ _csrf: token, newEmail, password });
}

const emailOf = async (id: string) => (await ctx.deps.models.User.findById(id).lean())!.email;

describe("changing the email address", () => {
  it("the new address gets a confirmation link, the old one a notice; the change applies only when the link is used, once", async () => {
    const user = await speaking("en");
    const agent = await signedInAs(ctx.app, user.email);
    const newEmail = uniqueEmail("moved");

    const asked = await askForChange(agent, newEmail);
    await deliverMail(ctx.deps);
    const [confirm] = mailsTo(mail, newEmail);
    const [notice] = mailsTo(mail, user.email);
    const before = await emailOf(user.id);
    const link = linkIn(confirm!, "/email-change/confirm");
    const used = await newAgent(ctx.app).get(link);
    const reused = await newAgent(ctx.app).get(link);

    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe("/account");
    expect(confirm?.subject).toBe("Confirm your new email address");
    expect(confirm?.text).toContain(`You asked to use ${newEmail}`);
    expect(notice?.subject).toBe("A change of your Nextflix email address was requested");
    expect(notice?.text).toContain(newEmail);
    expect(notice?.text).not.toContain("/email-change/confirm");
    expect(before).toBe(user.email);
    expect(used.status).toBe(303);
    expect(used.headers.location).toBe("/login");
    expect(await emailOf(user.id)).toBe(newEmail);
    expect((await ctx.deps.models.User.findById(user.id).lean())!.emailVerifiedAt).not.toBeNull();
    expect(reused.status).toBe(400);
    expect(reused.text).toContain("This confirmation link is no longer valid");
    expect((await signIn(newAgent(ctx.app), newEmail)).status).toBe(303);
    expect((await signIn(newAgent(ctx.app), user.email)).status).toBe(401);
    expect((await agent.get("/account")).text).toContain(newEmail);
  });

  it("mails a Vietnamese account in Vietnamese", async () => {
    const user = await speaking("vi");
    const agent = await signedInAs(ctx.app, user.email);
    const newEmail = uniqueEmail("moi");

    await askForChange(agent, newEmail);
    await deliverMail(ctx.deps);

    expect(mailsTo(mail, newEmail).map((m) => m.subject)).toEqual(["Xác nhận địa chỉ email mới"]);
    expect(mailsTo(mail, user.email).map((m) => m.subject)).toEqual(["Có yêu cầu đổi địa chỉ email Nextflix của bạn"]);
    expect(mailsTo(mail, newEmail)[0]!.text).toContain("Xác nhận địa chỉ mới");
  });

  it("needs the password and a different address, answering 422 and mailing nothing otherwise", async () => {
    const user = await speaking("en");
    const agent = await signedInAs(ctx.app, user.email);
    const newEmail = uniqueEmail("nope");

    const wrong = await askForChange(agent, newEmail, "not the password 9");
    const same = await askForChange(agent, user.email);
    const bad = await askForChange(agent, "not-an-address");
    await deliverMail(ctx.deps);

    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("That password is not right");
    expect(same.status).toBe(422);
    expect(same.text).toContain("That is already your email address");
    expect(bad.status).toBe(422);
    expect(mailsTo(mail, newEmail)).toHaveLength(0);
    expect(mailsTo(mail, user.email)).toHaveLength(0);
  });

  it("an address another account uses gets the same answer and no mail; the old address is still told", async () => {
    const user = await speaking("en");
    const taken = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);

    const res = await askForChange(agent, taken.email);
    await deliverMail(ctx.deps);

    expect(res.status).toBe(303);
    expect(mailsTo(mail, taken.email)).toHaveLength(0);
    expect(mailsTo(mail, user.email)).toHaveLength(1);
    expect(await emailOf(user.id)).toBe(user.email);
  });

  it("a link older than 24 hours is refused", async () => {
    const user = await speaking("en");
    const agent = await signedInAs(ctx.app, user.email);
    const newEmail = uniqueEmail("late");
    await askForChange(agent, newEmail);
    await deliverMail(ctx.deps);
    const link = linkIn(mailsTo(mail, newEmail)[0]!, "/email-change/confirm");
    const dayLater = createApp(at(ctx.deps, new Date(Date.now() + 24 * 3_600_000 + 1000)), { shuttingDown: false });

    const res = await newAgent(dayLater).get(link);

    expect(res.status).toBe(400);
    expect(await emailOf(user.id)).toBe(user.email);
  });
});

const WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const someIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function signOut(agent: Agent) {
  const token = await csrfToken(agent, "/account");
  await agent.post("/logout").type("form").send({ _csrf: token });
}

const newSignInMails = (email: string, subject: string) => mailsTo(mail, email).filter((m) => m.subject === subject);

describe("new sign-in mail", () => {
  it("is sent only for a browser the account has not used before, never for the first sign-in of an account", async () => {
    const user = await speaking("en");
    const laptop = newAgent(ctx.app);
    const subject = "New sign-in to your Nextflix account";

    expect((await signIn(laptop, user.email)).status).toBe(303);
    await signOut(laptop);
    expect((await signIn(laptop, user.email)).status).toBe(303);
    await deliverMail(ctx.deps);
    const afterKnown = newSignInMails(user.email, subject).length;

    const ip = someIp();
    const phone = newAgent(ctx.app).set("User-Agent", WINDOWS_CHROME).set("X-Forwarded-For", ip);
    expect((await signIn(phone, user.email)).status).toBe(303);
    await deliverMail(ctx.deps);
    const sent = newSignInMails(user.email, subject);

    expect(afterKnown).toBe(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Browser: Chrome 131");
    expect(sent[0]!.text).toContain("System: Windows 10");
    expect(sent[0]!.text).toContain(`IP address: ${ip}`);
    expect(sent[0]!.text).toMatch(/When: \d{1,2} \w{3} \d{4}/);
    expect(sent[0]!.text).toContain(`${TEST_PUBLIC_URL}/account#devices`);

    await signOut(phone);
    await signIn(phone, user.email);
    await deliverMail(ctx.deps);
    expect(newSignInMails(user.email, subject)).toHaveLength(1);
  });

  it("is sent in the account's language, after the code step when two-step sign-in is on", async () => {
    const user = await speaking("vi");
    await signIn(newAgent(ctx.app), user.email);
    await enrolTwoFactor(ctx.deps, user.id);

    const other = newAgent(ctx.app).set("User-Agent", WINDOWS_CHROME);
    const passwordOnly = await signIn(other, user.email);
    await deliverMail(ctx.deps);
    const beforeCode = mailsTo(mail, user.email).length;
    const viaCode = newAgent(ctx.app).set("User-Agent", WINDOWS_CHROME);
    await signInWithTotp(viaCode, ctx.deps, user);
    await deliverMail(ctx.deps);

    expect(passwordOnly.headers.location).toBe("/login/two-factor");
    expect(beforeCode).toBe(0);
    expect(mailsTo(mail, user.email).map((m) => m.subject)).toEqual(["Đăng nhập mới vào tài khoản Nextflix"]);
    expect(mailsTo(mail, user.email)[0]!.text).toContain("Trình duyệt: Chrome 131");
  });
});
