import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireSubscriptionsTask } from "../../src/jobs/expire-subscriptions.js";
import { remindExpiringTask } from "../../src/jobs/remind-expiring.js";
import { formatDate } from "../../src/lib/format-date.js";
import { approvePayment, confirmFromProvider } from "../../src/services/billing/index.js";
import { insertUser, pendingPayment, signedInAs } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { deliverMail, linkIn, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";

let ctx: TestContext;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  ctx = await createTestContext({
    SMTP_URL: mail.smtpUrl,
    PUBLIC_URL: TEST_PUBLIC_URL,
    BANK_NAME: "Test Bank",
    BANK_ACCOUNT_NUMBER: "0099887766",
    BANK_ACCOUNT_NAME: "NEXTFLIX TEST CO",
  });
});
afterAll(async () => {
  await ctx?.close();
  await mail?.close();
});

async function speaking(locale: "en" | "vi", subscription?: Record<string, unknown>) {
  const user = await insertUser(ctx.deps, { displayName: "Minh", subscription });
  await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { locale } });
  return user;
}

describe("payment received", () => {
  it("mails the transfer details (bank, account, amount, reference) once when the bank confirms the transfer", async () => {
    const user = await speaking("en");
    const payment = await pendingPayment(ctx.deps, user.id, "standard");
    const notice = { eventId: `evt-${payment.id}`, reference: payment.reference, amount: payment.amount, currency: "VND" };

    expect(await confirmFromProvider(ctx.deps, notice)).toBe("confirmed");
    expect(await confirmFromProvider(ctx.deps, notice)).toBe("duplicate");
    await deliverMail(ctx.deps);

    const sent = mailsTo(mail, user.email);
    expect(sent.map((m) => m.subject)).toEqual([`We received your transfer ${payment.reference}`]);
    // One fact per line in the plain-text version.
    expect(sent[0]!.text).toContain("\nBank: Test Bank\nAccount: 0099887766 (NEXTFLIX TEST CO)\nAmount: 231,000 VND\n");
    expect(sent[0]!.text).toContain("Account: 0099887766 (NEXTFLIX TEST CO)");
    expect(sent[0]!.text).toContain("Amount: 231,000 VND");
    expect(sent[0]!.text).toContain(`Reference: ${payment.reference}`);
    expect(sent[0]!.text).toContain(`${TEST_PUBLIC_URL}/account/billing`);
  });

  it("is in Vietnamese for a Vietnamese account", async () => {
    const user = await speaking("vi");
    const payment = await pendingPayment(ctx.deps, user.id, "premium");

    await confirmFromProvider(ctx.deps, { eventId: `evt-${payment.id}`, reference: payment.reference, amount: payment.amount, currency: "VND" });
    await deliverMail(ctx.deps);

    const [sent] = mailsTo(mail, user.email);
    expect(sent?.subject).toBe(`Chúng tôi đã nhận được chuyển khoản ${payment.reference}`);
    expect(sent?.text).toContain("Số tiền: 273.000 VND");
    expect(sent?.text).toContain("Ngân hàng: Test Bank");
  });
});

describe("receipts", () => {
  it("an approved payment mails a receipt whose link opens a printable receipt page under the billing history", async () => {
    const user = await speaking("en");
    const payment = await pendingPayment(ctx.deps, user.id, "standard");

    await approvePayment(ctx.deps, payment.id, { actor: "cli:ops" });
    await approvePayment(ctx.deps, payment.id, { actor: "cli:ops" });
    await deliverMail(ctx.deps);
    const receipts = mailsTo(mail, user.email).filter((m) => m.subject === `Receipt for payment ${payment.reference}`);
    const agent = await signedInAs(ctx.app, user.email);
    const link = linkIn(receipts[0]!, "/account/billing/receipts/");
    const page = await agent.get(link);
    const billing = await agent.get("/account/billing");
    const css = await agent.get("/static/css/app.css");
    const periodEnd = (await ctx.deps.models.Payment.findById(payment.id).lean())!.periodEnd;

    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.text).toContain("Amount paid: 231,000 VND");
    expect(receipts[0]!.text).toContain(`Valid until: ${formatDate("en", periodEnd)}`);
    expect(link).toBe(`/account/billing/receipts/${payment.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Receipt ${payment.reference}`);
    expect(page.text).toContain("231,000 VND");
    expect(page.text).toContain(user.email);
    expect(page.text).toContain('src="/static/js/print.js"');
    expect(billing.text).toContain(`href="/account/billing/receipts/${payment.id}"`);
    expect(css.text).toContain("@media print");
  });

  it("there is no receipt for another account's payment or one not approved", async () => {
    const owner = await speaking("en");
    const other = await speaking("vi");
    const approved = await pendingPayment(ctx.deps, owner.id);
    await approvePayment(ctx.deps, approved.id, { actor: "cli:ops" });
    const open = await pendingPayment(ctx.deps, other.id);
    const agent = await signedInAs(ctx.app, other.email);

    expect((await agent.get(`/account/billing/receipts/${approved.id}`)).status).toBe(404);
    expect((await agent.get(`/account/billing/receipts/${open.id}`)).status).toBe(404);
    expect((await agent.get("/account/billing/receipts/nope")).status).toBe(404);
  });
});

describe("subscription end mail from the jobs", () => {
  it("remind-expiring mails a renew link 3 days before the end, once, in the account's language", async () => {
    const end = new Date(Date.now() + 2.5 * 86_400_000);
    const user = await speaking("vi", { plan: "basic", status: "active", currentPeriodEnd: end, activatedAt: new Date() });

    await remindExpiringTask(ctx.deps);
    await remindExpiringTask(ctx.deps);
    await deliverMail(ctx.deps);

    const sent = mailsTo(mail, user.email);
    expect(sent.map((m) => m.subject)).toEqual([`Gói của bạn kết thúc vào ${formatDate("vi", end)}`]);
    expect(sent[0]!.text).toContain(`Gia hạn ngay: ${TEST_PUBLIC_URL}/checkout`);
  });

  it("expire-subscriptions mails that the subscription has ended", async () => {
    const user = await speaking("en", { plan: "basic", status: "active", currentPeriodEnd: new Date(Date.now() - 60_000), activatedAt: new Date() });

    await expireSubscriptionsTask(ctx.deps);
    await expireSubscriptionsTask(ctx.deps);
    await deliverMail(ctx.deps);

    const sent = mailsTo(mail, user.email);
    expect(sent.map((m) => m.subject)).toEqual(["Your subscription has ended"]);
    expect(sent[0]!.text).toContain(`${TEST_PUBLIC_URL}/plans`);
  });
});
