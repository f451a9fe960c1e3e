import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, csrfToken, newAgent, registerUser, signIn, signedInAgent, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe("registration", () => {
  it("creates an account and sends the visitor to sign in with the email filled in", async () => {
    const agent = newAgent(ctx.app);
    const email = uniqueEmail();
    const res = await registerUser(agent, email, "Ada");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
    const login = await agent.get("/login");
    expect(login.text).toContain(`value="${email}"`);
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    expect(user?.displayName).toBe("Ada");
    expect(user?.role).toBe("user");
  });

  it("answers a taken email exactly like a new one and changes nothing", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email, "First");
    const before = await ctx.deps.models.User.findOne({ email }).lean();
    const second = await registerUser(newAgent(ctx.app), email, "Second");
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe("/login");
    const after = await ctx.deps.models.User.findOne({ email }).lean();
    expect(after?.displayName).toBe("First");
    expect(after?.passwordHash).toBe(before?.passwordHash);
  });

  it("stores an argon2id hash with at least OWASP parameters", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    const [, algorithm, version, params] = user!.passwordHash.split("$");
    expect(algorithm).toBe("argon2id");
    expect(version).toBe("v=19");
    const p = Object.fromEntries(params!.split(",").map((kv) => kv.split("=")));
    expect(Number(p.m)).toBeGreaterThanOrEqual(19456);
    expect(Number(p.t)).toBeGreaterThanOrEqual(2);
    expect(Number(p.p)).toBe(1);
  });
});

describe("sign in and out", () => {
  it("signs in, shows the user's name, and signs out with a POST", async () => {
    const { agent } = await signedInAgent(ctx.app, "Grace");
    const home = await agent.get("/browse");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Grace");
    const token = await csrfToken(agent, "/browse");
    const out = await agent.post("/logout").type("form").send({ _csrf: token });
    expect(out.status).toBe(303);
    const after = await agent.get("/browse");
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe("/login?next=%2Fbrowse");
  });

  it("answers a wrong password and an unknown email with the same message and status", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const wrong = await signIn(newAgent(ctx.app), email, "wrong password 1");
    const unknown = await signIn(newAgent(ctx.app), uniqueEmail(), "wrong password 1");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (html: string) => /<div class="alert" role="alert">([^<]+)<\/div>/.exec(html)?.[1];
    expect(message(wrong.text)).toBeTruthy();
    expect(message(wrong.text)).toBe(message(unknown.text));
  });

  it("goes to a safe ?next= path after sign-in and ignores other origins", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const local = await signIn(newAgent(ctx.app), email, GOOD_PASSWORD, { next: "/browse?x=1" });
    expect(local.headers.location).toBe("/browse?x=1");
    for (const next of ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"]) {
      const res = await signIn(newAgent(ctx.app), email, GOOD_PASSWORD, { next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe("/browse");
    }
  });

  it("has no GET /logout", async () => {
    const { agent } = await signedInAgent(ctx.app);
    const res = await agent.get("/logout");
    expect([404, 405]).toContain(res.status);
    expect((await agent.get("/browse")).status).toBe(200);
  });
});
