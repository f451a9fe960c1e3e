import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findJob } from "../../src/jobs/schedule.js";
import { signPayload } from "../../src/lib/hmac.js";
import { runJob } from "../../src/services/ops/jobs.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { insertUser, pendingPayment } from "../support/billing.js";

const SECRET = "whsec_integration_0123456789abcdef";
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ PAYMENT_WEBHOOK_SECRET: SECRET });
});
afterAll(async () => {
  await ctx?.close();
});

function send(body: object | string, opts: { secret?: string; timestamp?: number; signature?: string } = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const sig = opts.signature ?? signPayload(opts.secret ?? SECRET, ts, raw);
  return request(ctx.app).post("/webhooks/payments").set("Content-Type", "application/json").set("X-Signature-Timestamp", ts).set("X-Signature", sig).send(raw);
}

async function snapshot(paymentId: string, userId: string) {
  const [p, u] = await Promise.all([ctx.deps.models.Payment.findById(paymentId).lean(), ctx.deps.models.User.findById(userId).lean()]);
  return { status: p?.status, evidence: p?.evidence ?? null, sub: u?.subscription?.status };
}

describe("payment webhook", () => {
  it("a signed notice confirms the payment, and the approve job activates it", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const res = await send({ eventId: "evt_ok_1", reference: payment.reference, amount: payment.amount, currency: "VND" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("confirmed");
    expect((await ctx.deps.models.Payment.findById(payment.id).lean())?.status).toBe("confirmed");
    const run = await runJob(ctx.deps, findJob("approve-confirmed-payments")!, { fireTime: new Date(), trigger: "manual" });
    expect(run.status).toBe("succeeded");
    expect((await ctx.deps.models.Payment.findById(payment.id).lean())?.status).toBe("approved");
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("active");
    const audit = await ctx.deps.models.AuditLog.findOne({ action: "payment.approve", target: `payment:${payment.id}` }).lean();
    expect(audit?.actor).toBe("job:approve-confirmed-payments");
  });

  it("a bad signature is 401 and changes nothing", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const before = await snapshot(payment.id, user.id);
    const res = await send(
      { eventId: "evt_bad", reference: payment.reference, amount: payment.amount, currency: "VND" },
      { secret: "not_the_right_secret_1234" },
    );
    expect(res.status).toBe(401);
    expect(await snapshot(payment.id, user.id)).toEqual(before);
  });

  it("a signature over a different body is 401 and changes nothing", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const before = await snapshot(payment.id, user.id);
    const ts = Math.floor(Date.now() / 1000);
    const signedFor = JSON.stringify({ eventId: "evt_x", reference: "NFOTHER234", amount: 1, currency: "VND" });
    const res = await send(
      { eventId: "evt_x", reference: payment.reference, amount: payment.amount, currency: "VND" },
      { timestamp: ts, signature: signPayload(SECRET, ts, signedFor) },
    );
    expect(res.status).toBe(401);
    expect(await snapshot(payment.id, user.id)).toEqual(before);
  });

  it("an old timestamp is 401 even with a valid signature", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const before = await snapshot(payment.id, user.id);
    const res = await send(
      { eventId: "evt_old", reference: payment.reference, amount: payment.amount, currency: "VND" },
      { timestamp: Math.floor(Date.now() / 1000) - 301 },
    );
    expect(res.status).toBe(401);
    expect(await snapshot(payment.id, user.id)).toEqual(before);
  });

  it("a replayed good request changes nothing the second time", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const body = JSON.stringify({ eventId: "evt_replay", reference: payment.reference, amount: payment.amount, currency: "VND" });
    const ts = Math.floor(Date.now() / 1000);
    const sig = signPayload(SECRET, ts, body);
    const first = await send(body, { timestamp: ts, signature: sig });
    expect(first.body.status).toBe("confirmed");
    const after = await snapshot(payment.id, user.id);
    const auditsBefore = await ctx.deps.models.AuditLog.countDocuments({ target: `payment:${payment.id}` });
    const replay = await send(body, { timestamp: ts, signature: sig });
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe("duplicate");
    expect(await snapshot(payment.id, user.id)).toEqual(after);
    expect(await ctx.deps.models.AuditLog.countDocuments({ target: `payment:${payment.id}` })).toBe(auditsBefore);
  });

  it("needs no session or CSRF token, and rejects unsigned requests", async () => {
    const res = await request(ctx.app).post("/webhooks/payments").set("Content-Type", "application/json").send("{}");
    expect(res.status).toBe(401);
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});
