import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { purgeTask } from "../../src/jobs/purge.js";
import { op } from "../../src/lib/db.js";
import { issueToken } from "../../src/services/accounts/account-tokens.js";
import { enqueueEvent } from "../../src/services/notifications/index.js";
import { at, insertUser } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { deliverMail, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";
import { newAgent, registerUser, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  ctx = await createTestContext({
    SMTP_URL: mail.smtpUrl,
    PUBLIC_URL: TEST_PUBLIC_URL,
    MAIL_FROM: "Nextflix <hello@nextflix.test>",
    OUTBOX_RETRY_BASE_SECONDS: "10",
  });
});
afterAll(async () => {
  await ctx?.close();
  await mail?.close();
});
// Each test starts from an empty queue.
beforeEach(async () => {
  await ctx.deps.models.Outbox.updateMany({ status: op({ $ne: "done" }) }, { $set: { status: "done" } });
});

const later = (ms: number) => at(ctx.deps, new Date(Date.now() + ms));

describe("mail through the outbox", () => {
  it("registering sends one welcome mail in HTML and text with absolute links, however often the event is dispatched", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email, "Ana");

    await deliverMail(ctx.deps);
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    // A redelivery of the same event (a crashed worker's claim, or a second dispatcher).
    await ctx.deps.models.Outbox.updateOne({ _id: `user.registered:${String(user!._id)}` }, { $set: { status: "pending", delivered: [] } });
    await deliverMail(ctx.deps);

    const welcome = mailsTo(mail, email).filter((m) => m.subject === "Welcome to Nextflix");
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.from).toBe("hello@nextflix.test");
    expect(welcome[0]!.text).toContain("Hi Ana,");
    expect(welcome[0]!.text).toContain(`${TEST_PUBLIC_URL}/plans`);
    expect(welcome[0]!.html).toContain(`href="${TEST_PUBLIC_URL}/plans"`);
    expect(await ctx.deps.models.SentMail.countDocuments({ _id: `user.registered:${String(user!._id)}`, status: "sent" })).toBe(1);
  });

  it("mail is written in the user's language", async () => {
    const user = await insertUser(ctx.deps, { displayName: "Lan" });
    await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { locale: "vi" } });
    await enqueueEvent(ctx.deps, { id: `subscription.expired:${user.id}`, type: "subscription.expired", payload: { userId: user.id } });

    await deliverMail(ctx.deps);

    const [sent] = mailsTo(mail, user.email);
    expect(sent?.subject).toBe("Đăng ký của bạn đã kết thúc");
    expect(sent?.text).toContain("Xin chào Lan,");
  });

  it("while SMTP is down the mail waits and is retried with backoff; once it is back the mail arrives once", async () => {
    const user = await insertUser(ctx.deps);
    const port = mail.smtpPort;
    await mail.close();
    await enqueueEvent(ctx.deps, { id: `subscription.expired:down-${user.id}`, type: "subscription.expired", payload: { userId: user.id } });

    const down = await deliverMail(ctx.deps);
    const waiting = await ctx.deps.models.Outbox.findById(`subscription.expired:down-${user.id}`).lean();
    mail = await startMailCatcher({ smtpPort: port });
    const tooSoon = await deliverMail(ctx.deps);
    const afterBackoff = await deliverMail(later(11_000));
    await deliverMail(later(60_000));

    expect(down.retried).toBe(1);
    expect(waiting?.status).toBe("pending");
    expect(waiting?.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(tooSoon.claimed).toBe(0);
    expect(afterBackoff.done).toBe(1);
    expect(mailsTo(mail, user.email)).toHaveLength(1);
  });

  it("an address the server refuses for good is recorded and not retried", async () => {
    const user = await insertUser(ctx.deps);
    mail.refuse.add(user.email);
    const id = `subscription.expired:refused-${user.id}`;
    await enqueueEvent(ctx.deps, { id, type: "subscription.expired", payload: { userId: user.id } });

    const first = await deliverMail(ctx.deps);
    await deliverMail(later(3_600_000));

    expect(first.done).toBe(1);
    const record = await ctx.deps.models.SentMail.findById(id).lean();
    expect(record?.status).toBe("rejected");
    expect(record?.to).toBe(user.email);
    expect(record?.error).toMatch(/550/);
    expect(mailsTo(mail, user.email)).toHaveLength(0);
  });

  it("the daily purge forgets old sent-mail records and expired links, and keeps recent ones", async () => {
    const user = await insertUser(ctx.deps);
    const old = new Date(Date.now() - 200 * 86_400_000);
    const mailRow = { template: "x", userId: new Types.ObjectId(user.id), to: user.email, status: "sent", updatedAt: old };
    await ctx.deps.models.SentMail.collection.insertMany([
      { ...mailRow, _id: `old-mail-${user.id}` as unknown as Types.ObjectId, createdAt: old },
      { ...mailRow, _id: `new-mail-${user.id}` as unknown as Types.ObjectId, createdAt: new Date() },
    ]);
    const expired = await issueToken(at(ctx.deps, old), user.id, "password-reset", 3_600_000);
    const live = await issueToken(ctx.deps, user.id, "verify-email", 3_600_000, user.email);

    const summary = await purgeTask(ctx.deps);

    expect(summary.sentMail).toBeGreaterThanOrEqual(1);
    expect(await ctx.deps.models.SentMail.countDocuments({ _id: `old-mail-${user.id}` })).toBe(0);
    expect(await ctx.deps.models.SentMail.countDocuments({ _id: `new-mail-${user.id}` })).toBe(1);
    expect(await ctx.deps.models.AccountToken.countDocuments({ _id: expired.tokenId })).toBe(0);
    expect(await ctx.deps.models.AccountToken.countDocuments({ _id: live.tokenId })).toBe(1);
  });
});
