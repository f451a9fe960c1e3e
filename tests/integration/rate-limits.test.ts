import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { errorHandler } from "../../src/lib/error-handler.js";
import { localeMiddleware } from "../../src/lib/locale.js";
import { createLogger } from "../../src/lib/logger.js";
import { generalLimiter, loginLimiters } from "../../src/lib/rate-limit.js";
import { createRedis } from "../../src/lib/redis.js";
import { freePort } from "../../tools/local-services.js";
import { createTestContext, secondInstance, testEnv, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, csrfFrom, newAgent, registerUser, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ TRUST_PROXY_HOPS: "1" });
});
afterAll(async () => {
  await ctx?.close();
});

let ipCounter = 0;
const uniqueIp = () => `198.51.100.${(ipCounter += 1)}`;

/** One sign-in attempt through `app` from `ip` (the proxy's X-Forwarded-For), fresh CSRF each time. */
async function attempt(app: express.Express, email: string, password: string, ip = "203.0.113.7") {
  const agent = request.agent(app);
  const page = await agent.get("/login").set("X-Forwarded-For", ip);
  return agent
    .post("/login")
    .set("X-Forwarded-For", ip)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), email, password });
}

describe("sign-in throttling", () => {
  it("after 5 failures for one email, even the right password gets 429, from any IP", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    for (let i = 0; i < 5; i++) expect((await attempt(ctx.app, email, "wrong password 1", uniqueIp())).status).toBe(401);
    const blocked = await attempt(ctx.app, email, GOOD_PASSWORD, uniqueIp());
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Too many sign-in attempts");
  });

  it("throttles an unknown email exactly like a known one", async () => {
    const email = uniqueEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(ctx.app, email, "wrong password 1", uniqueIp())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("shares the count across instances: 3 failures on A and 2 on B make the 6th 429 on either", async () => {
    const b = secondInstance(ctx);
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    for (let i = 0; i < 3; i++) await attempt(ctx.app, email, "wrong password 1", uniqueIp());
    for (let i = 0; i < 2; i++) await attempt(b, email, "wrong password 1", uniqueIp());
    expect((await attempt(b, email, GOOD_PASSWORD, uniqueIp())).status).toBe(429);
    expect((await attempt(ctx.app, email, GOOD_PASSWORD, uniqueIp())).status).toBe(429);
  });

  it("does not count successful sign-ins against the email", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    for (let i = 0; i < 7; i++) expect((await attempt(ctx.app, email, GOOD_PASSWORD, uniqueIp())).status).toBe(303);
  });

  it("limits failures per IP, identifying the client by the configured proxy hop count", async () => {
    const limited = await createTestContext({ TRUST_PROXY_HOPS: "1", LOGIN_MAX_FAILURES_PER_IP: "3" });
    try {
      const ip = uniqueIp();
      // The left-most X-Forwarded-For entry is client-supplied; with one trusted hop it is ignored.
      const spoofed = (n: number) => `10.0.0.${n}, ${ip}`;
      for (let i = 0; i < 3; i++) expect((await attempt(limited.app, uniqueEmail(), "wrong password 1", spoofed(i))).status).toBe(401);
      expect((await attempt(limited.app, uniqueEmail(), "wrong password 1", spoofed(9))).status).toBe(429);
      expect((await attempt(limited.app, uniqueEmail(), "wrong password 1", uniqueIp())).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe("limiters without Redis", () => {
  async function appWithDeadRedis() {
    const config = loadConfig(testEnv({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }));
    const redis = createRedis(config.redisUrl, 200);
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use(localeMiddleware(false));
    app.get("/page", generalLimiter(config, redis, createLogger("silent")), (_req, res) => void res.send("page"));
    app.post("/login", ...loginLimiters(config, redis, createLogger("silent")), (_req, res) => void res.send("signed in"));
    app.use(errorHandler(createLogger("silent")));
    return { app, redis };
  }

  it("the sign-in limiter fails closed with 503", async () => {
    const { app, redis } = await appWithDeadRedis();
    const res = await request(app).post("/login").type("form").send({ email: "a@example.com", password: "x" });
    expect(res.status).toBe(503);
    redis.disconnect();
  });

  it("the general limiter fails open", async () => {
    const { app, redis } = await appWithDeadRedis();
    const res = await request(app).get("/page");
    expect(res.status).toBe(200);
    expect(res.text).toBe("page");
    redis.disconnect();
  });
});
