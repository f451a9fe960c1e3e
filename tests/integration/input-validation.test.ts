import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, csrfFrom, newAgent, registerUser, signedInAgent, uniqueEmail } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

async function snapshotUsers() {
  return (await ctx.deps.models.User.find().sort({ email: 1 }).lean()).map((u) => JSON.stringify(u));
}

/** Posts a raw urlencoded body (so keys like `email[$ne]` reach the server as written). */
async function postRaw(path: string, body: string, agent = newAgent(ctx.app), pagePath = path) {
  const token = csrfFrom((await agent.get(pagePath)).text);
  return agent.post(path).type("form").send(`_csrf=${token}&${body}`);
}

describe("registration input", () => {
  const cases: [string, string, number, RegExp][] = [
    ["missing fields", "", 422, /This field is required/],
    ["a malformed email", `email=not-an-email&displayName=A&password=${encodeURIComponent(GOOD_PASSWORD)}`, 422, /valid email address/],
    ["a too-long name", `email=${uniqueEmail()}&displayName=${"n".repeat(51)}&password=${encodeURIComponent(GOOD_PASSWORD)}`, 422, /at most 50 characters/],
    ["a short password", `email=${uniqueEmail()}&displayName=A&password=short1`, 422, /at least 10 characters/],
    ["a letters-only password", `email=${uniqueEmail()}&displayName=A&password=onlyletterspassword`, 422, /at least one number or symbol/],
    ["a too-long password", `email=${uniqueEmail()}&displayName=A&password=${"a1".repeat(65)}`, 422, /at most 128 characters/],
    ["an extra role field", `email=${uniqueEmail()}&displayName=A&password=${encodeURIComponent(GOOD_PASSWORD)}&role=admin`, 400, /could not be understood/],
    ["an operator in the email", `email[$ne]=x&displayName=A&password=${encodeURIComponent(GOOD_PASSWORD)}`, 400, /could not be understood/],
    [
      "an array for the name",
      `email=${uniqueEmail()}&displayName=A&displayName=B&password=${encodeURIComponent(GOOD_PASSWORD)}`,
      400,
      /could not be understood/,
    ],
  ];
  for (const [name, body, status, message] of cases) {
    it(`answers ${name} with ${status} and a translated message, storing nothing`, async () => {
      const before = await snapshotUsers();
      const res = await postRaw("/register", body);
      expect(res.status).toBe(status);
      expect(res.text).toMatch(message);
      expect(await snapshotUsers()).toEqual(before);
    });
  }

  it("speaks Vietnamese to a Vietnamese browser", async () => {
    const agent = newAgent(ctx.app);
    const token = csrfFrom((await agent.get("/register").set("Accept-Language", "vi")).text);
    const res = await agent
      .post("/register")
      .set("Accept-Language", "vi")
      .type("form")
      .send({ _csrf: token, email: "x", displayName: "A", password: GOOD_PASSWORD });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Hãy nhập địa chỉ email hợp lệ.");
  });
});

describe("sign-in input", () => {
  it("refuses operator objects in JSON and in form keys with 400, never a 500", async () => {
    const email = uniqueEmail();
    await registerUser(newAgent(ctx.app), email);
    const agent = newAgent(ctx.app);
    const token = csrfFrom((await agent.get("/login")).text);
    const json = await agent
      .post("/login")
      .set("x-csrf-token", token)
      .send({ email: { $ne: "" }, password: { $ne: "" } });
    expect(json.status).toBe(400);
    const form = await postRaw("/login", "email[$gt]=&password[$gt]=", agent, "/login");
    expect(form.status).toBe(400);
    expect((await agent.get("/browse")).status).toBe(303);
  });

  it("answers malformed JSON with 400", async () => {
    const agent = newAgent(ctx.app);
    const token = csrfFrom((await agent.get("/login")).text);
    const res = await agent.post("/login").set("x-csrf-token", token).set("Content-Type", "application/json").send('{"email": ');
    expect(res.status).toBe(400);
  });

  it("answers an oversized body with 413", async () => {
    const res = await request(ctx.app)
      .post("/login")
      .type("form")
      .send(`email=${"a".repeat(40_000)}`);
    expect(res.status).toBe(413);
  });
});

describe("language form", () => {
  it("refuses an unknown locale with 422 or 400 and keeps the stored one", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    const token = csrfFrom((await agent.get("/browse")).text);
    const res = await agent.post("/account/language").type("form").send({ _csrf: token, locale: "fr" });
    expect([400, 422]).toContain(res.status);
    expect((await ctx.deps.models.User.findOne({ email }).lean())?.locale).toBe("en");
  });
});
