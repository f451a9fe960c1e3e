import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvePayment, approveConfirmedPayments, confirmFromProvider, expireStalePayments, rejectPayment } from "../../src/services/billing/approval.js";
import { openCheckout } from "../../src/services/billing/payments.js";
import { dispatchOutbox } from "../../src/services/notifications/outbox.js";
import { defaultConsumers } from "../../src/services/notifications/consumers.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { activeSubscriber, at, insertUser, pendingPayment } from "../support/billing.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const DAY = 86_400_000;

describe("approving a payment", () => {
  it("activates the subscription for one period from now for a new subscriber", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id, "basic");
    const before = Date.now();
    const r = await approvePayment(ctx.deps, payment.id, { actor: "cli:ops" });
    expect(r.outcome).toBe("approved");
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u?.subscription?.status).toBe("active");
    expect(u?.subscription?.plan).toBe("basic");
    const end = u!.subscription.currentPeriodEnd!.getTime();
    expect(end).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(end).toBeLessThan(before + 30 * DAY + 60_000);
  });

  it("renews from the current period end, not from now", async () => {
    const user = await activeSubscriber(ctx.deps, 10, "standard");
    const oldEnd = (await ctx.deps.models.User.findById(user.id).lean())!.subscription.currentPeriodEnd!;
    const payment = await pendingPayment(ctx.deps, user.id, "standard");
    await approvePayment(ctx.deps, payment.id, { actor: "cli:ops" });
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u!.subscription.currentPeriodEnd!.getTime()).toBe(oldEnd.getTime() + 30 * DAY);
  });

  it("approving twice activates once, notifies once, audits once and says already approved", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const first = await approvePayment(ctx.deps, payment.id, { actor: "user:admin1" });
    const second = await approvePayment(ctx.deps, payment.id, { actor: "user:admin2" });
    expect(first.outcome).toBe("approved");
    expect(second.outcome).toBe("already-approved");
    await dispatchOutbox(ctx.deps, defaultConsumers());
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u!.subscription.appliedPayments).toEqual([payment.id]);
    expect(await ctx.deps.models.Notification.countDocuments({ userId: user.id, type: "payment.approved" })).toBe(1);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "payment.approve", target: `payment:${payment.id}` })).toBe(1);
  });

  it("concurrent approvals from several paths extend the period exactly once", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    await ctx.deps.models.Payment.updateOne({ _id: payment.id }, { $set: { status: "confirmed" } });
    const results = await Promise.all([
      approvePayment(ctx.deps, payment.id, { actor: "cli:ops" }),
      approveConfirmedPayments(ctx.deps),
      approvePayment(ctx.deps, payment.id, { actor: "user:admin" }),
    ]);
    const approvals = results.filter((r) => "outcome" in r && r.outcome === "approved").length + (results[1] as { approved: number }).approved;
    expect(approvals).toBe(1);
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u!.subscription.appliedPayments).toEqual([payment.id]);
    expect(u!.subscription.currentPeriodEnd!.getTime()).toBeLessThan(Date.now() + 31 * DAY);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "payment.approve", target: `payment:${payment.id}` })).toBe(1);
    expect(await ctx.deps.models.Outbox.countDocuments({ _id: `payment.approved:${payment.id}` })).toBe(1);
  });

  it("re-applying an approval after a crash before the follow-up extends once", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    // Simulate a process that died right after winning the status update.
    await ctx.deps.models.Payment.updateOne(
      { _id: payment.id },
      { $set: { status: "approved", decidedAt: new Date(Date.now() - 5 * 60_000), decidedBy: "cli:ops", openKey: `closed:${payment.id}` } },
    );
    const r1 = await approveConfirmedPayments(ctx.deps);
    const r2 = await approveConfirmedPayments(ctx.deps);
    expect(r1.repaired).toBe(1);
    expect(r2.repaired).toBe(0);
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u?.subscription?.status).toBe("active");
    expect(u!.subscription.appliedPayments).toEqual([payment.id]);
  });

  it("a rejected payment cannot be approved and the user goes back to no subscription", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("pending");
    await rejectPayment(ctx.deps, payment.id, "no transfer received", { actor: "cli:ops" });
    await expect(approvePayment(ctx.deps, payment.id, { actor: "cli:ops" })).rejects.toMatchObject({ status: 409 });
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("none");
  });
});

describe("checkout records", () => {
  it("keeps one open payment per user, even for concurrent checkouts", async () => {
    const user = await insertUser(ctx.deps);
    const results = await Promise.all([
      openCheckout(ctx.deps, user.id, "basic"),
      openCheckout(ctx.deps, user.id, "premium"),
      openCheckout(ctx.deps, user.id, "basic"),
    ]);
    const ids = new Set(results.map((r) => String(r.payment._id)));
    expect(ids.size).toBe(1);
    expect(await ctx.deps.models.Payment.countDocuments({ userId: user.id })).toBe(1);
  });

  it("takes the amount and currency from the configured plan", async () => {
    const user = await insertUser(ctx.deps);
    const { payment } = await openCheckout(ctx.deps, user.id, "premium");
    expect(payment.amount).toBe(ctx.config.plans.find((p) => p.id === "premium")!.price);
    expect(payment.currency).toBe("VND");
    expect(payment.reference).toMatch(/^NF[A-HJ-NP-TV-Z2-9]{8}$/);
  });

  it("expires pending payments older than the pending window, once", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const later = at(ctx.deps, new Date(Date.now() + 8 * DAY));
    const first = await expireStalePayments(later);
    const second = await expireStalePayments(later);
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect(second.expired).toBe(0);
    expect((await ctx.deps.models.Payment.findById(payment.id).lean())?.status).toBe("expired");
    const again = await openCheckout(ctx.deps, user.id, "basic");
    expect(again.created).toBe(true);
  });
});

describe("provider confirmation", () => {
  it("confirms a pending payment whose amount is covered, and ignores a repeat", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const notice = { eventId: "evt_1_" + payment.id, reference: payment.reference, amount: payment.amount, currency: "VND" };
    expect(await confirmFromProvider(ctx.deps, notice)).toBe("confirmed");
    expect(await confirmFromProvider(ctx.deps, notice)).toBe("duplicate");
    expect(await confirmFromProvider(ctx.deps, { ...notice, eventId: "x", reference: "NFNOPE2345" })).toBe("unknown-reference");
  });

  it("leaves an underpaid transfer pending for review", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const r = await confirmFromProvider(ctx.deps, { eventId: "evt_low", reference: payment.reference, amount: payment.amount - 1, currency: "VND" });
    expect(r).toBe("amount-mismatch");
    expect((await ctx.deps.models.Payment.findById(payment.id).lean())?.status).toBe("pending");
  });
});
