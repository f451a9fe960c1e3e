import request from "supertest";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listUserSessions } from "../../src/services/accounts/sessions.js";
import { createTestContext, secondInstance, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, cookiePair, csrfFrom, newAgent, registerUser, sessionIdFrom, signIn, signedInAgent, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

async function sessionKeys(): Promise<string[]> {
  return ctx.deps.redis.keys("sess:*");
}

describe("sessions", () => {
  it("an anonymous GET of the landing page creates no session key and no cookie", async () => {
    // A Redis logical database of its own, so other test files' sessions cannot interfere.
    const isolated = await createTestContext({ REDIS_URL: `${inject("redisUrl")}/7` });
    try {
      await isolated.deps.redis.flushdb();
      const res = await request(isolated.app).get("/");
      expect(res.status).toBe(200);
      expect(cookiePair(res.headers["set-cookie"])).toBeUndefined();
      expect(await isolated.deps.redis.keys("sess:*")).toEqual([]);
    } finally {
      await isolated.close();
    }
  });

  it("sets an HttpOnly, SameSite=Lax, Path=/ cookie with no Domain", async () => {
    const res = await request(ctx.app).get("/login");
    const cookie = (res.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("sid="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("names the cookie __Host-sid and marks it Secure in production", async () => {
    const prod = await createTestContext({ NODE_ENV: "production", TRUST_PROXY_HOPS: "1" });
    try {
      const res = await request(prod.app).get("/login").set("X-Forwarded-Proto", "https");
      const cookie = (res.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("__Host-sid="))!;
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Domain=/i);
    } finally {
      await prod.close();
    }
  });

  it("sign-in issues a new session id; the pre-login cookie replayed afterwards is anonymous", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const page = await request(ctx.app).get("/login");
    const preLogin = cookiePair(page.headers["set-cookie"])!;
    const login = await request(ctx.app)
      .post("/login")
      .set("Cookie", preLogin)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email, password: GOOD_PASSWORD });
    expect(login.status).toBe(303);
    const postLogin = cookiePair(login.headers["set-cookie"])!;
    expect(postLogin).not.toBe(preLogin);
    expect((await request(ctx.app).get("/browse").set("Cookie", postLogin)).status).toBe(200);
    const replay = await request(ctx.app).get("/browse").set("Cookie", preLogin);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
  });

  it("sign-out destroys the Redis key; the old cookie replayed is anonymous", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const agent = newAgent(ctx.app);
    const login = await signIn(agent, email);
    const sid = sessionIdFrom(login.headers["set-cookie"])!;
    const cookie = cookiePair(login.headers["set-cookie"])!;
    expect(await ctx.deps.redis.exists(`sess:${sid}`)).toBe(1);
    const page = await agent.get("/browse");
    await agent
      .post("/logout")
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
    expect(await ctx.deps.redis.exists(`sess:${sid}`)).toBe(0);
    const replay = await request(ctx.app).get("/browse").set("Cookie", cookie);
    expect(replay.status).toBe(303);
  });

  it("keeps a session in Redis for the idle timeout, renewed while it is in use (at most a minute behind)", async () => {
    const { agent } = await signedInAgent(ctx.app);
    const res = await agent.get("/browse");
    const keys = await sessionKeys();
    const ttls = await Promise.all(keys.map((k) => ctx.deps.redis.ttl(k)));
    const idleSeconds = ctx.config.session.idleMs / 1000;
    expect(res.status).toBe(200);
    expect(Math.max(...ttls)).toBeGreaterThan(idleSeconds - 10);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(idleSeconds);

    // Last seen two minutes ago with little time left: the next request renews it, and its cookie.
    const signedIn = await Promise.all(keys.map(async (k) => ({ k, s: JSON.parse((await ctx.deps.redis.get(k)) ?? "{}") })));
    const { k: key, s: stored } = signedIn.filter((x) => x.s.auth).sort((a, b) => b.s.auth.createdAt - a.s.auth.createdAt)[0]!;
    stored.auth.lastSeenAt = Date.now() - 120_000;
    await ctx.deps.redis.set(key, JSON.stringify(stored), "EX", 100);
    const again = await agent.get("/browse");
    expect(again.status).toBe(200);
    expect(await ctx.deps.redis.ttl(key)).toBeGreaterThan(idleSeconds - 10);
    expect(String(again.headers["set-cookie"])).toMatch(/sid=/);
  });

  it("ends a session past the absolute limit even though it is still being used", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const agent = newAgent(ctx.app);
    const login = await signIn(agent, email);
    const sid = sessionIdFrom(login.headers["set-cookie"])!;
    const stored = JSON.parse((await ctx.deps.redis.get(`sess:${sid}`))!);
    stored.auth.createdAt = Date.now() - ctx.config.session.absoluteMs - 1000;
    await ctx.deps.redis.set(`sess:${sid}`, JSON.stringify(stored), "KEEPTTL");
    const res = await agent.get("/browse");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
    expect(await ctx.deps.redis.exists(`sess:${sid}`)).toBe(0);
  });

  it("indexes each user's sessions and drops expired ones from the index", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const a = await signIn(newAgent(ctx.app), email);
    await signIn(newAgent(ctx.app), email);
    const user = await ctx.deps.models.User.findOne({ email });
    expect(await listUserSessions(ctx.deps.redis, user!.id)).toHaveLength(2);
    await ctx.deps.redis.del(`sess:${sessionIdFrom(a.headers["set-cookie"])}`);
    const live = await listUserSessions(ctx.deps.redis, user!.id);
    expect(live).toHaveLength(1);
    expect(live[0]!.createdAt).toBeGreaterThan(0);
  });

  it("a session made on one instance is valid on another sharing Redis and the database", async () => {
    const other = secondInstance(ctx);
    const { agent } = await signedInAgent(ctx.app, "Shared Sam");
    const page = await agent.get("/browse");
    const cookie = page.request.cookies;
    const res = await request(other).get("/browse").set("Cookie", cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Shared Sam");
  });
});

describe("admin idle timeout", () => {
  it("an admin idle on admin pages past the admin limit must sign in again, while subscribers keep the longer limit", async () => {
    const { insertUser } = await import("../support/billing.js");
    const { enrolTwoFactor, signInWithTotp } = await import("../support/two-factor.js");
    const admin = await insertUser(ctx.deps, { role: "admin" });
    await enrolTwoFactor(ctx.deps, admin.id);
    const agent = newAgent(ctx.app);
    const login = await signInWithTotp(agent, ctx.deps, admin);
    const sid = sessionIdFrom(login.headers["set-cookie"])!;
    expect((await agent.get("/admin")).status).toBe(200);

    const stored = JSON.parse((await ctx.deps.redis.get(`sess:${sid}`))!);
    stored.auth.adminSeenAt = Date.now() - ctx.config.session.adminIdleMs - 1000;
    await ctx.deps.redis.set(`sess:${sid}`, JSON.stringify(stored), "KEEPTTL");

    const res = await agent.get("/admin");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login?next=%2Fadmin");
    expect(await ctx.deps.redis.exists(`sess:${sid}`)).toBe(0);
  });
});
