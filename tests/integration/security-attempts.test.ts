import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { op } from "../../src/lib/db.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, csrfFrom, newAgent, uniqueEmail } from "../support/http.js";
import { viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  // Registration is counted per client IP: each test sends its own X-Forwarded-For.
  ctx = await createTestContext({ TRUST_PROXY_HOPS: "1", REGISTER_MAX_PER_IP_PER_HOUR: "3" });
});
afterAll(async () => {
  await ctx?.close();
});

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;
const randomIp = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

/** A subscriber whose own profile has PIN 4321. */
async function lockedProfile() {
  const v = await viewer(ctx.app, ctx.deps);
  const set = await v.agent.post(`/profiles/${v.profileId}/pin`).type("form").send({ _csrf: v.token, password: GOOD_PASSWORD, pin: "4321" });
  expect(set.status).toBe(303);
  return v;
}

describe("profile PIN attempts", () => {
  it("60 wrong guesses sent together: at most 5 are checked, the rest are refused, and then the right PIN is refused too", async () => {
    const v = await lockedProfile();
    const guesses = Array.from({ length: 60 }, (_, i) => String(1000 + i));
    const results = await Promise.all(
      guesses.map((pin) => v.agent.post(`/profiles/${v.profileId}/select`).type("form").send({ _csrf: v.token, pin, next: "/browse" })),
    );
    const statuses = results.map((r) => r.status);
    expect(count(statuses, 422)).toBeLessThanOrEqual(5);
    expect(count(statuses, 422) + count(statuses, 429)).toBe(60);
    const right = await v.agent.post(`/profiles/${v.profileId}/select`).type("form").send({ _csrf: v.token, pin: "4321" });
    expect(right.status).toBe(429);
    expect(right.text).toContain("Too many wrong PINs");
  });

  it("the right PIN resets the count, so a later typo is not held against the parent", async () => {
    const v = await lockedProfile();
    for (let i = 0; i < 4; i++) await v.agent.post(`/profiles/${v.profileId}/select`).type("form").send({ _csrf: v.token, pin: "0000" });
    expect((await v.agent.post(`/profiles/${v.profileId}/select`).type("form").send({ _csrf: v.token, pin: "4321" })).status).toBe(303);
    for (let i = 0; i < 4; i++) {
      expect((await v.agent.post(`/profiles/${v.profileId}/select`).type("form").send({ _csrf: v.token, pin: "0000" })).status).toBe(422);
    }
  });
});

describe("current-password checks", () => {
  it("60 wrong current passwords sent together to /account/password: at most 5 checked, then the right one is refused", async () => {
    const v = await viewer(ctx.app, ctx.deps);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        v.agent
          .post("/account/password")
          .type("form")
          .send({ _csrf: v.token, currentPassword: `wrong guess ${i}`, newPassword: "a brand new pass 7", confirmPassword: "a brand new pass 7" }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(count(statuses, 422)).toBeLessThanOrEqual(5);
    expect(count(statuses, 422) + count(statuses, 429)).toBe(60);
    const right = await v.agent
      .post("/account/password")
      .type("form")
      .send({ _csrf: v.token, currentPassword: GOOD_PASSWORD, newPassword: "a brand new pass 7", confirmPassword: "a brand new pass 7" });
    expect(right.status).toBe(429);
  });

  it("are counted per user across /account/password, /account/delete and /profiles/:id/pin", async () => {
    const v = await viewer(ctx.app, ctx.deps);
    for (let i = 0; i < 3; i++) {
      const res = await v.agent
        .post("/account/password")
        .type("form")
        .send({ _csrf: v.token, currentPassword: `wrong guess ${i}`, newPassword: "a brand new pass 7", confirmPassword: "a brand new pass 7" });
      expect(res.status).toBe(422);
    }
    for (let i = 0; i < 2; i++)
      expect(
        (
          await v.agent
            .post("/account/delete")
            .type("form")
            .send({ _csrf: v.token, password: `wrong guess ${i}` })
        ).status,
      ).toBe(422);
    const pin = await v.agent.post(`/profiles/${v.profileId}/pin`).type("form").send({ _csrf: v.token, password: GOOD_PASSWORD, pin: "1234" });
    expect(pin.status).toBe(429);
    const deleted = await v.agent.post("/account/delete").type("form").send({ _csrf: v.token, password: GOOD_PASSWORD });
    expect(deleted.status).toBe(429);
    expect(await ctx.deps.models.User.countDocuments({ _id: v.user.id, status: "active" })).toBe(1);
  });
});

describe("registration per IP", () => {
  async function register(ip: string, email: string) {
    const agent = newAgent(ctx.app);
    const page = await agent.get("/register").set("X-Forwarded-For", ip);
    return agent
      .post("/register")
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email, displayName: "New Member", password: GOOD_PASSWORD });
  }

  it("refuses the 4th registration from one IP with 429 and creates no account", async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) expect((await register(ip, uniqueEmail("reg"))).status).toBe(303);
    const email = uniqueEmail("reg");
    const refused = await register(ip, email);
    expect(refused.status).toBe(429);
    expect(await ctx.deps.models.User.countDocuments({ email })).toBe(0);
    expect((await register(randomIp(), uniqueEmail("reg"))).status).toBe(303);
  });

  it("20 registrations sent together from one IP create at most 3 accounts", async () => {
    const ip = randomIp();
    const emails = Array.from({ length: 20 }, () => uniqueEmail("burst"));
    const results = await Promise.all(emails.map((email) => register(ip, email)));
    expect(
      count(
        results.map((r) => r.status),
        303,
      ),
    ).toBeLessThanOrEqual(3);
    expect(await ctx.deps.models.User.countDocuments({ email: op({ $in: emails }) })).toBeLessThanOrEqual(3);
  });
});
