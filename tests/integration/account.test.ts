import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, csrfFrom, newAgent, signIn, type Agent } from "../support/http.js";
import { activeSubscriber, insertUser, pendingPayment } from "../support/billing.js";
import { flushAllProgress, postProgress, seedTitle } from "../support/watching.js";
import { op } from "../../src/lib/db.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async function deviceAgent(email: string, userAgent: string): Promise<Agent> {
  const agent = newAgent(ctx.app);
  agent.set("User-Agent", userAgent);
  const res = await signIn(agent, email);
  expect(res.status).toBe(303);
  return agent;
}

async function isSignedIn(agent: Agent): Promise<boolean> {
  return (await agent.get("/account")).status === 200;
}

async function token(agent: Agent): Promise<string> {
  return csrfFrom((await agent.get("/account")).text);
}

describe("change password", () => {
  it("signs out every other session, keeps this one on a new id, and takes the new password", async () => {
    const user = await insertUser(ctx.deps);
    const laptop = await deviceAgent(user.email, FIREFOX);
    const phone = await deviceAgent(user.email, IPHONE);
    const before = (await laptop.get("/account")).headers["set-cookie"]?.toString() ?? "";
    const res = await laptop
      .post("/account/password")
      .type("form")
      .send({ _csrf: await token(laptop), currentPassword: GOOD_PASSWORD, newPassword: "a brand new pass 7", confirmPassword: "a brand new pass 7" });
    expect(res.status).toBe(303);
    expect(res.headers["set-cookie"]?.toString()).toMatch(/sid=/);
    expect(res.headers["set-cookie"]?.toString()).not.toBe(before);
    expect(await isSignedIn(laptop)).toBe(true);
    expect(await isSignedIn(phone)).toBe(false);
    expect((await signIn(newAgent(ctx.app), user.email)).status).toBe(401);
    expect((await signIn(newAgent(ctx.app), user.email, "a brand new pass 7")).status).toBe(303);
  });

  it("refuses a wrong current password or a mismatched confirmation and changes nothing", async () => {
    const user = await insertUser(ctx.deps);
    const agent = await deviceAgent(user.email, FIREFOX);
    const other = await deviceAgent(user.email, IPHONE);
    const hash = (await ctx.deps.models.User.findById(user.id).lean())!.passwordHash;
    const wrong = await agent
      .post("/account/password")
      .type("form")
      .send({ _csrf: await token(agent), currentPassword: "not it at all 1", newPassword: "a brand new pass 7", confirmPassword: "a brand new pass 7" });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("That password is not right.");
    const mismatch = await agent
      .post("/account/password")
      .type("form")
      .send({ _csrf: await token(agent), currentPassword: GOOD_PASSWORD, newPassword: "a brand new pass 7", confirmPassword: "a brand new pass 8" });
    expect(mismatch.status).toBe(422);
    expect((await ctx.deps.models.User.findById(user.id).lean())!.passwordHash).toBe(hash);
    expect(await isSignedIn(other)).toBe(true);
  });
});

describe("devices", () => {
  it("lists sessions with browser, system and IP, and signs out one device in place", async () => {
    const user = await insertUser(ctx.deps);
    const laptop = await deviceAgent(user.email, FIREFOX);
    const phone = await deviceAgent(user.email, IPHONE);
    const page = (await laptop.get("/account")).text;
    expect(page).toContain("Firefox 128");
    expect(page).toContain("Windows 10");
    expect(page).toContain("Mobile Safari 17");
    expect(page).toContain("iOS 17.5");
    expect(page).toMatch(/IP (::ffff:)?127\.0\.0\.1/);
    expect(page).toContain("This device");
    const key = /action="\/account\/devices\/([A-Za-z0-9_-]+)\/sign-out"/.exec(page)![1]!;
    const res = await laptop
      .post(`/account/devices/${key}/sign-out`)
      .set("HX-Request", "true")
      .set("HX-Target", "devices")
      .set("x-csrf-token", csrfFrom(page))
      .type("form")
      .send({});
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("<html");
    expect(res.text).not.toContain("iOS");
    expect(await isSignedIn(phone)).toBe(false);
    expect(await isSignedIn(laptop)).toBe(true);
  });

  it("signs out everywhere else and keeps the current session", async () => {
    const user = await insertUser(ctx.deps);
    const here = await deviceAgent(user.email, FIREFOX);
    const others = [await deviceAgent(user.email, IPHONE), await deviceAgent(user.email, FIREFOX)];
    const res = await here
      .post("/account/devices/sign-out-others")
      .type("form")
      .send({ _csrf: await token(here) });
    expect(res.status).toBe(303);
    for (const agent of others) expect(await isSignedIn(agent)).toBe(false);
    expect(await isSignedIn(here)).toBe(true);
  });

  it("cannot sign out another account's session", async () => {
    const victim = await insertUser(ctx.deps);
    const victimAgent = await deviceAgent(victim.email, IPHONE);
    const victimKey = /action="\/account\/devices\/([A-Za-z0-9_-]+)\/sign-out"/.exec(
      (await (await deviceAgent(victim.email, FIREFOX)).get("/account")).text,
    )![1]!;
    const attacker = await deviceAgent((await insertUser(ctx.deps)).email, FIREFOX);
    const res = await attacker
      .post(`/account/devices/${victimKey}/sign-out`)
      .type("form")
      .send({ _csrf: await token(attacker) });
    expect(res.status).toBe(404);
    expect(await isSignedIn(victimAgent)).toBe(true);
  });
});

describe("delete account", () => {
  it("needs the password, then erases profiles, lists, ratings, progress and personal fields, keeps payments, and signs out everywhere", async () => {
    const user = await insertUser(ctx.deps, {
      displayName: "Quillon Vantablack",
      subscription: { plan: "basic", status: "active", currentPeriodEnd: new Date(Date.now() + 86_400_000) },
    });
    const other = await activeSubscriber(ctx.deps);
    const film = await seedTitle(ctx.deps);
    const agent = await deviceAgent(user.email, FIREFOX);
    const phone = await deviceAgent(user.email, IPHONE);
    let csrf = await token(agent);
    await agent.post("/profiles").type("form").send({ _csrf: csrf, name: "Zephyrine Kid", avatar: "pink", kids: "on", maxMaturity: "PG" });
    await agent.post(`/my-list/${film.id}`).type("form").send({ _csrf: csrf, inList: "1" });
    await agent.post(`/ratings/${film.id}`).type("form").send({ _csrf: csrf, value: "2" });
    await postProgress(agent, csrf, { slug: film.slug, position: 10, duration: 100, ts: 1 });
    await flushAllProgress(ctx.deps);
    expect(await ctx.deps.models.WatchProgress.countDocuments({})).toBe(1);
    await ctx.deps.models.Notification.create({ userId: user.id, type: "test", title: "notifications.x", dedupeKey: `t:${user.id}` });
    await pendingPayment(ctx.deps, user.id);
    await pendingPayment(ctx.deps, other.id);
    const profileIds = (await ctx.deps.models.Profile.find({ userId: user.id }).lean()).map((p) => p._id);
    expect(profileIds).toHaveLength(2);
    const paymentsBefore = await ctx.deps.models.Payment.find({ userId: user.id }).lean();

    csrf = await token(agent);
    const wrong = await agent.post("/account/delete").type("form").send({ _csrf: csrf, password: "wrong password 9" });
    expect(wrong.status).toBe(422);
    expect(await ctx.deps.models.Profile.countDocuments({ userId: user.id })).toBe(2);

    const res = await agent.post("/account/delete").type("form").send({ _csrf: csrf, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Your account has been deleted");

    await flushAllProgress(ctx.deps);
    // No collection still holds the email, the names or the profile ids.
    const names = await ctx.deps.conn.db!.listCollections().toArray();
    const needles = [user.email, "Quillon Vantablack", "Zephyrine Kid", ...profileIds.map(String)];
    for (const { name } of names) {
      const docs = await ctx.deps.conn.db!.collection(name).find({}).toArray();
      const text = JSON.stringify(docs);
      for (const needle of needles) expect(text.includes(needle), `${needle} in ${name}`).toBe(false);
    }
    const ofProfiles = { profileId: op({ $in: profileIds }) };
    expect(await ctx.deps.models.ListEntry.countDocuments(ofProfiles)).toBe(0);
    expect(await ctx.deps.models.Rating.countDocuments(ofProfiles)).toBe(0);
    expect(await ctx.deps.models.WatchProgress.countDocuments(ofProfiles)).toBe(0);
    expect(await ctx.deps.models.Notification.countDocuments({ userId: user.id })).toBe(0);
    const stub = await ctx.deps.models.User.findById(user.id).lean();
    expect(stub?.status).toBe("deleted");
    expect(stub?.email).not.toContain("@example.com");
    const audit = await ctx.deps.models.AuditLog.find({ actor: `user:${user.id}` }).lean();
    expect(audit.every((a) => a.ip === null)).toBe(true);
    // Payment rows stay for the books, pointing at the anonymous stub.
    const paymentsAfter = await ctx.deps.models.Payment.find({ userId: user.id }).lean();
    expect(paymentsAfter.map((p) => p.reference)).toEqual(paymentsBefore.map((p) => p.reference));
    expect(paymentsAfter[0]!.amount).toBe(paymentsBefore[0]!.amount);
    // Every session ended, and the email can sign up again.
    expect(await isSignedIn(agent)).toBe(false);
    expect(await isSignedIn(phone)).toBe(false);
    expect((await signIn(newAgent(ctx.app), user.email)).status).toBe(401);
    // The other account is untouched.
    expect(await ctx.deps.models.Payment.countDocuments({ userId: other.id })).toBe(1);
  });
});
