import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInAs } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD } from "../support/http.js";
import { viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

/** A subscriber on a second device, and on this one switched into a new kids profile. */
async function kidOnAccount() {
  const v = await viewer(ctx.app, ctx.deps);
  const other = await signedInAs(ctx.app, v.user.email);
  await v.agent.post("/profiles").type("form").send({ _csrf: v.token, name: "Little One", avatar: "yellow", kids: "on", maxMaturity: "PG" });
  const kid = await ctx.deps.models.Profile.findOne({ userId: v.user.id, kids: true }).lean();
  expect(
    (
      await v.agent
        .post(`/profiles/${String(kid!._id)}/select`)
        .type("form")
        .send({ _csrf: v.token })
    ).status,
  ).toBe(303);
  return { ...v, other, kidId: String(kid!._id) };
}

describe("a kids profile", () => {
  it("cannot open the account, billing, plans or checkout pages", async () => {
    const { agent } = await kidOnAccount();
    for (const url of ["/account", "/account/billing", "/account/delete", "/plans", "/checkout", "/profiles/manage", "/profiles/new"]) {
      const res = await agent.get(url);
      expect(res.status, url).toBe(403);
      expect(res.text, url).toContain("grown-up profile");
    }
  });

  it("cannot cancel or change the plan, start a checkout, change the password or delete the account", async () => {
    const { agent, token, user } = await kidOnAccount();
    const posts: [string, Record<string, string>][] = [
      ["/account/billing/cancel", {}],
      ["/account/billing/plan", { plan: "premium" }],
      ["/checkout", { plan: "premium" }],
      ["/account/password", { currentPassword: GOOD_PASSWORD, newPassword: "a brand new pass 7", confirmPassword: "a brand new pass 7" }],
      ["/account/delete", { password: GOOD_PASSWORD }],
    ];
    for (const [url, body] of posts)
      expect(
        (
          await agent
            .post(url)
            .type("form")
            .send({ _csrf: token, ...body })
        ).status,
        url,
      ).toBe(403);
    const after = await ctx.deps.models.User.findById(user.id).lean();
    expect(after!.status).toBe("active");
    expect(after!.subscription?.cancelAtPeriodEnd ?? false).toBe(false);
    expect(after!.subscription?.nextPlan ?? null).toBe(null);
    expect(await ctx.deps.models.Payment.countDocuments({ userId: user.id })).toBe(0);
  });

  it("is not offered the account link in its profile menu", async () => {
    const { agent } = await kidOnAccount();
    const page = await agent.get("/my-list");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('href="/account"');
  });

  it("cannot sign out the other devices", async () => {
    const { agent, token, other } = await kidOnAccount();
    const res = await agent.post("/account/devices/sign-out-others").type("form").send({ _csrf: token });
    expect(res.status).toBe(403);
    expect((await other.get("/account")).status).toBe(200);
  });

  it("cannot add, edit, lock or delete profiles", async () => {
    const { agent, token, profileId, user } = await kidOnAccount();
    const posts: [string, Record<string, string>][] = [
      ["/profiles", { name: "Sneaky", avatar: "red" }],
      [`/profiles/${profileId}`, { name: "Renamed", avatar: "red" }],
      [`/profiles/${profileId}/pin`, { password: GOOD_PASSWORD, pin: "1111" }],
      [`/profiles/${profileId}/delete`, {}],
    ];
    for (const [url, body] of posts)
      expect(
        (
          await agent
            .post(url)
            .type("form")
            .send({ _csrf: token, ...body })
        ).status,
        url,
      ).toBe(403);
    expect(await ctx.deps.models.Profile.countDocuments({ userId: user.id })).toBe(2);
  });

  it("leaves the grown-up profile on the same account free to manage billing and devices", async () => {
    const { agent, token, profileId } = await kidOnAccount();
    await agent.post(`/profiles/${profileId}/select`).type("form").send({ _csrf: token });
    const account = await agent.get("/account");
    expect(account.status).toBe(200);
    expect(account.text).toContain('href="/account"');
    expect((await agent.get("/account/billing")).status).toBe(200);
    expect((await agent.post("/account/devices/sign-out-others").type("form").send({ _csrf: token })).status).toBe(303);
  });
});
