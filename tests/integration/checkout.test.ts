import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crc16, parseEmv } from "../../src/lib/vietqr.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom } from "../support/http.js";
import { activeSubscriber, insertUser, signedInAs } from "../support/billing.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({
    PLANS_JSON: JSON.stringify([
      { id: "basic", price: 99000, quality: "720p", screens: 1 },
      { id: "premium", price: 250000, quality: "4K", screens: 4 },
    ]),
    BANK_BIN: "970415",
    BANK_ACCOUNT_NUMBER: "0011001932418",
  });
});
afterAll(async () => {
  await ctx?.close();
});

const decode = (s: string) =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');

async function checkout(plan: string) {
  const user = await insertUser(ctx.deps);
  const agent = await signedInAs(ctx.app, user.email);
  const plans = await agent.get("/plans");
  const res = await agent
    .post("/checkout")
    .type("form")
    .send({ _csrf: csrfFrom(plans.text), plan });
  return { user, agent, res };
}

describe("plans and checkout", () => {
  it("lists the configured plans with their prices", async () => {
    const user = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    const res = await agent.get("/plans");
    expect(res.status).toBe(200);
    expect(res.text).toContain("99,000 VND");
    expect(res.text).toContain("250,000 VND");
    expect(res.text).not.toContain("Standard");
  });

  it("creates a pending payment and shows a VietQR whose fields and checksum are right", async () => {
    const { user, agent, res } = await checkout("premium");
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location!);
    expect(page.status).toBe(200);
    const payment = await ctx.deps.models.Payment.findOne({ userId: user.id }).lean();
    expect(payment?.status).toBe("pending");
    expect(payment?.amount).toBe(250000);
    const payload = decode(/data-testid="payment-payload">([^<]+)</.exec(page.text)![1]!);
    const fields = parseEmv(payload);
    expect(fields.get("54")).toBe("250000");
    expect(parseEmv(parseEmv(fields.get("38")!).get("01")!).get("00")).toBe("970415");
    expect(parseEmv(parseEmv(fields.get("38")!).get("01")!).get("01")).toBe("0011001932418");
    expect(parseEmv(fields.get("62")!).get("08")).toBe(payment!.reference);
    expect(fields.get("63")).toBe(crc16(payload.slice(0, -4)));
    expect(page.text).toContain('data-testid="payment-qr"');
    expect(page.text).toContain(payment!.reference);
    const user2 = await ctx.deps.models.User.findById(user.id).lean();
    expect(user2?.subscription?.status).toBe("pending");
  });

  it("re-opening checkout shows the same open payment instead of a new one", async () => {
    const { user, agent, res } = await checkout("basic");
    const again = await agent
      .post("/checkout")
      .type("form")
      .send({ _csrf: csrfFrom((await agent.get("/plans")).text), plan: "premium" });
    expect(again.headers.location).toBe(res.headers.location);
    const get = await agent.get("/checkout");
    expect(get.headers.location).toBe(res.headers.location);
    expect(await ctx.deps.models.Payment.countDocuments({ userId: user.id })).toBe(1);
  });

  it("a user cannot see or cancel another user's payment", async () => {
    const owner = await checkout("basic");
    const other = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, other.email);
    const view = await agent.get(owner.res.headers.location!);
    expect(view.status).toBe(404);
    const token = csrfFrom((await agent.get("/plans")).text);
    const cancel = await agent.post(`${owner.res.headers.location}/cancel`).type("form").send({ _csrf: token });
    expect(cancel.status).toBe(404);
    const payment = await ctx.deps.models.Payment.findOne({ userId: owner.user.id }).lean();
    expect(payment?.status).toBe("pending");
  });

  it("refuses unknown plans and extra fields without creating a payment", async () => {
    const user = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    const token = csrfFrom((await agent.get("/plans")).text);
    expect((await agent.post("/checkout").type("form").send({ _csrf: token, plan: "gold" })).status).toBe(422);
    expect((await agent.post("/checkout").type("form").send({ _csrf: token, plan: "basic", amount: "1" })).status).toBe(400);
    expect((await agent.post("/checkout").type("form").send({ _csrf: token, plan: "basic", status: "approved" })).status).toBe(400);
    expect(await ctx.deps.models.Payment.countDocuments({ userId: user.id })).toBe(0);
  });

  it("cancelling an unpaid payment lets the user pick another plan", async () => {
    const { user, agent, res } = await checkout("basic");
    const token = csrfFrom((await agent.get(res.headers.location!)).text);
    const cancel = await agent.post(`${res.headers.location}/cancel`).type("form").send({ _csrf: token });
    expect(cancel.status).toBe(303);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("none");
    const second = await agent.post("/checkout").type("form").send({ _csrf: token, plan: "premium" });
    expect(second.headers.location).not.toBe(res.headers.location);
  });

  it("anonymous visitors are sent to sign in", async () => {
    const res = await (await import("supertest")).default(ctx.app).get("/plans");
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain("/login");
  });
});

describe("billing: change plan and cancel", () => {
  it("change plan applies to the next period only and cancel keeps access until the period end", async () => {
    const user = await activeSubscriber(ctx.deps, 10, "basic");
    const agent = await signedInAs(ctx.app, user.email);
    const page = await agent.get("/account/billing");
    expect(page.status).toBe(200);
    const token = csrfFrom(page.text);
    await agent.post("/account/billing/plan").type("form").send({ _csrf: token, plan: "premium" }).expect(303);
    let u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u?.subscription?.plan).toBe("basic");
    expect(u?.subscription?.nextPlan).toBe("premium");
    await agent.post("/account/billing/cancel").type("form").send({ _csrf: token }).expect(303);
    u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u?.subscription?.status).toBe("active");
    expect(u?.subscription?.cancelAtPeriodEnd).toBe(true);
    const after = await agent.get("/account/billing");
    expect(after.text).toContain("you can keep watching until");
    await agent.post("/account/billing/resume").type("form").send({ _csrf: token }).expect(303);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.cancelAtPeriodEnd).toBe(false);
  });

  it("the next checkout after a plan change renews into the new plan at the period end", async () => {
    const user = await activeSubscriber(ctx.deps, 10, "basic");
    const agent = await signedInAs(ctx.app, user.email);
    const token = csrfFrom((await agent.get("/plans")).text);
    await agent.post("/checkout").type("form").send({ _csrf: token, plan: "premium" }).expect(303);
    const payment = await ctx.deps.models.Payment.findOne({ userId: user.id }).lean();
    const { approvePayment } = await import("../../src/services/billing/approval.js");
    await approvePayment(ctx.deps, String(payment!._id), { actor: "cli:test" });
    const u = await ctx.deps.models.User.findById(user.id).lean();
    expect(u?.subscription?.plan).toBe("basic");
    expect(u?.subscription?.nextPlan).toBe("premium");
    expect(u?.subscription?.nextPlanFrom?.getTime()).toBeLessThan(u!.subscription.currentPeriodEnd!.getTime());
  });
});
