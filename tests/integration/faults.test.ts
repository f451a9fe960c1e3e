import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFerretDb, startRedis, type LocalService } from "../../tools/local-services.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { signPayload } from "../../src/lib/hmac.js";
import { insertUser, pendingPayment } from "../support/billing.js";
import { signedInAgent, signIn } from "../support/http.js";
import { eventually } from "../support/processes.js";

// This file runs its own Redis and FerretDB so it can stop and restart them.
const WEBHOOK_SECRET = "whsec_faults_0123456789abcdef";
let dir: string;
let redis: LocalService;
let db: LocalService;
let ctx: TestContext;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "netflix-faults-"));
  redis = await startRedis({ dir: path.join(dir, "redis") });
  db = await startFerretDb({ dir: path.join(dir, "db") });
  ctx = await createTestContext({
    REDIS_URL: redis.url,
    MONGODB_URI: db.url,
    REQUEST_TIMEOUT_MS: "3000",
    REDIS_COMMAND_TIMEOUT_MS: "500",
    PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
});
afterAll(async () => {
  await ctx?.close();
  await Promise.all([redis?.stop(), db?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("when Redis goes away", () => {
  it("signed-in requests end with a 503 page instead of hanging, and service recovers when Redis returns", async () => {
    const { agent } = await signedInAgent(ctx.app);
    expect((await agent.get("/browse")).status).toBe(200);

    await redis.stop();
    const started = Date.now();
    const down = await agent.get("/browse");
    expect(down.status).toBe(503);
    expect(down.text).toContain("temporarily unavailable");
    expect(Date.now() - started).toBeLessThan(ctx.config.requestTimeoutMs + 1000);
    expect((await request(ctx.app).get("/ready")).status).toBe(503);
    expect((await request(ctx.app).get("/live")).status).toBe(200);

    redis = await startRedis({ dir: path.join(dir, "redis"), port: redis.port });
    await eventually(async () => (await request(ctx.app).get("/ready")).status === 200);
    // A graceful stop writes the append-only file: the session is still there.
    expect((await agent.get("/browse")).status).toBe(200);
  });
});

describe("when the database goes away", () => {
  it("/ready says 503 within 2 s, /live stays 200, pages answer 503, and it recovers by itself", async () => {
    const { agent } = await signedInAgent(ctx.app);
    await db.stop();

    const started = Date.now();
    const ready = await request(ctx.app).get("/ready");
    expect(ready.status).toBe(503);
    expect(ready.body.checks.mongodb).toBe("down");
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await request(ctx.app).get("/live")).status).toBe(200);
    expect((await agent.get("/browse")).status).toBe(503);

    db = await startFerretDb({ dir: path.join(dir, "db"), port: db.port });
    await eventually(async () => (await request(ctx.app).get("/ready")).status === 200, 40_000);
    expect((await agent.get("/browse")).status).toBe(200);
  });
});

describe("signing in through a database outage", () => {
  it("attempts with the right password during the outage are not counted: after it, sign-in succeeds", async () => {
    const { email } = await signedInAgent(ctx.app);
    const browser = request.agent(ctx.app);
    await db.stop();

    const during: number[] = [];
    for (let i = 0; i < ctx.config.loginLimits.maxPerEmail + 2; i++) during.push((await signIn(browser, email)).status);
    expect(during.every((s) => s === 503)).toBe(true);

    db = await startFerretDb({ dir: path.join(dir, "db"), port: db.port });
    await eventually(async () => (await request(ctx.app).get("/ready")).status === 200, 40_000);
    expect((await signIn(browser, email)).status).toBe(303);
  }, 90_000);
});

describe("a payment webhook that fails while the database is away", () => {
  it("is processed when the provider retries the same signed request", async () => {
    const payment = await pendingPayment(ctx.deps, (await insertUser(ctx.deps)).id);
    const body = JSON.stringify({ eventId: "evt_retry_1", reference: payment.reference, amount: payment.amount, currency: "VND" });
    const ts = String(Math.floor(Date.now() / 1000));
    const deliver = () =>
      request(ctx.app)
        .post("/webhooks/payments")
        .set("Content-Type", "application/json")
        .set("X-Signature-Timestamp", ts)
        .set("X-Signature", signPayload(WEBHOOK_SECRET, ts, body))
        .send(body);
    await db.stop();

    const failed = await deliver();
    db = await startFerretDb({ dir: path.join(dir, "db"), port: db.port });
    await eventually(async () => (await request(ctx.app).get("/ready")).status === 200, 40_000);
    const retried = await deliver();
    const replayed = await deliver();

    expect(failed.status).toBe(503);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("confirmed");
    expect((await ctx.deps.models.Payment.findById(payment.id).lean())?.status).toBe("confirmed");
    expect(replayed.body.status).toBe("duplicate");
  }, 90_000);
});
