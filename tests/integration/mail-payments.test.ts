import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvePayment, rejectPayment } from "../../src/services/billing/index.js";
import { formatDate } from "../../src/lib/format-date.js";
import { insertUser, pendingPayment } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { deliverMail, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";

let ctx: TestContext;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  ctx = await createTestContext({ SMTP_URL: mail.smtpUrl, PUBLIC_URL: TEST_PUBLIC_URL });
});
afterAll(async () => {
  await ctx?.close();
  await mail?.close();
});

async function subscriberSpeaking(locale: "en" | "vi") {
  const user = await insertUser(ctx.deps, { displayName: "Hoa" });
  await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { locale } });
  return user;
}

describe("payment mail", () => {
  it("an approved payment is mailed once, in the subscriber's language, with the plan and the new end date", async () => {
    const user = await subscriberSpeaking("vi");
    const payment = await pendingPayment(ctx.deps, user.id, "premium");

    await approvePayment(ctx.deps, payment.id, { actor: "cli:ops" });
    await approvePayment(ctx.deps, payment.id, { actor: "cli:ops" });
    await deliverMail(ctx.deps);
    await deliverMail(ctx.deps);

    // The approval and its receipt (tests/integration/mail-billing-notices.test.ts), each once.
    const all = mailsTo(mail, user.email);
    const sent = all.filter((m) => m.subject === "Thanh toán đã được duyệt: gói của bạn đã kích hoạt");
    expect(all).toHaveLength(2);
    expect(sent).toHaveLength(1);
    const periodEnd = (await ctx.deps.models.User.findById(user.id).lean())!.subscription.currentPeriodEnd;
    expect(sent[0]!.text).toContain(`Gói Cao cấp của bạn có hiệu lực đến ${formatDate("vi", periodEnd)}`);
    expect(sent[0]!.text).toContain(`${TEST_PUBLIC_URL}/browse`);
  });

  it("a rejected payment is mailed with its reference and the reason, in English for an English account", async () => {
    const user = await subscriberSpeaking("en");
    const payment = await pendingPayment(ctx.deps, user.id);

    await rejectPayment(ctx.deps, payment.id, "The amount did not match", { actor: "cli:ops" });
    await deliverMail(ctx.deps);

    const [sent] = mailsTo(mail, user.email);
    expect(sent?.subject).toBe(`Payment ${payment.reference} was rejected`);
    expect(sent?.text).toContain("Reason: The amount did not match");
    expect(sent?.html).toContain("Reason: The amount did not match");
  });
});
