import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom, csrfToken, newAgent, registerUser, signIn, signedInAgent, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe("CSRF", () => {
  it("refuses a state-changing POST without a token (403) and changes nothing", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    const res = await agent.post("/account/language").type("form").send({ locale: "vi" });
    expect(res.status).toBe(403);
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    expect(user?.locale).toBe("en");
  });

  it("refuses a wrong token, and accepts the token in the header htmx sends", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    const bad = await agent.post("/account/language").set("x-csrf-token", "0".repeat(64)).type("form").send({ locale: "vi" });
    expect(bad.status).toBe(403);
    const token = await csrfToken(agent, "/browse");
    const ok = await agent.post("/account/language").set("x-csrf-token", token).set("HX-Request", "true").type("form").send({ locale: "vi" });
    expect(ok.status).toBe(303);
    expect((await ctx.deps.models.User.findOne({ email }).lean())?.locale).toBe("vi");
  });

  it("refuses sign-in and sign-up posts without a token", async () => {
    const email = uniqueEmail();
    const reg = await request(ctx.app).post("/register").type("form").send({ email, displayName: "X", password: "long enough 123" });
    expect(reg.status).toBe(403);
    expect(await ctx.deps.models.User.countDocuments({ email })).toBe(0);
    const login = await request(ctx.app).post("/login").type("form").send({ email, password: "long enough 123" });
    expect(login.status).toBe(403);
  });

  it("rotates the token on sign-in: the pre-login token no longer works", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const agent = newAgent(ctx.app);
    const before = await csrfToken(agent, "/login");
    await signIn(agent, email);
    const after = csrfFrom((await agent.get("/browse")).text);
    expect(after).not.toBe(before);
    const stale = await agent.post("/account/language").type("form").send({ _csrf: before, locale: "vi" });
    expect(stale.status).toBe(403);
  });

  it("puts the token in a meta tag and in hx-headers for htmx", async () => {
    const { agent } = await signedInAgent(ctx.app);
    const html = (await agent.get("/browse")).text;
    const meta = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1];
    expect(meta).toBeTruthy();
    expect(html).toContain(`data-hx-headers='{&quot;x-csrf-token&quot;:&quot;${meta}&quot;}'`);
  });
});

describe("security headers", () => {
  it("sends a strict Content-Security-Policy", async () => {
    const res = await request(ctx.app).get("/");
    const csp = res.headers["content-security-policy"] as string;
    const directives = Object.fromEntries(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v.join(" ")]),
    );
    expect(directives["script-src"]).toBe("'self'");
    expect(directives["object-src"]).toBe("'none'");
    expect(directives["base-uri"]).toBe("'self'");
    expect(directives["frame-ancestors"]).toBe("'none'");
    expect(directives["frame-src"]).toBe("https://www.youtube-nocookie.com");
    expect(directives["media-src"]).toContain("blob:");
    expect(directives["worker-src"]).toContain("blob:");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("configures htmx safely and serves it from /vendor with long caching", async () => {
    const res = await request(ctx.app).get("/");
    const config = JSON.parse(/<meta name="htmx-config" content='([^']+)'>/.exec(res.text)![1]!);
    expect(config).toMatchObject({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, selfRequestsOnly: true });
    const src = /<script src="(\/vendor\/htmx\/2\.[^"]+)"/.exec(res.text)![1]!;
    const js = await request(ctx.app).get(src);
    expect(js.status).toBe(200);
    expect(js.headers["cache-control"]).toMatch(/max-age=31536000/);
    expect(js.headers["cache-control"]).toMatch(/immutable/);
  });

  it("has no inline scripts, inline styles or hx-on attributes in rendered pages", async () => {
    const { agent } = await signedInAgent(ctx.app);
    for (const html of [(await request(ctx.app).get("/")).text, (await request(ctx.app).get("/login")).text, (await agent.get("/browse")).text]) {
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle="/);
      expect(html).not.toMatch(/hx-on/);
    }
  });

  it("echoes a request id in X-Request-Id", async () => {
    const res = await request(ctx.app).get("/live");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const given = await request(ctx.app).get("/live").set("X-Request-Id", "abc12345-from-proxy");
    expect(given.headers["x-request-id"]).toBe("abc12345-from-proxy");
  });
});
