import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifyUser } from "../../src/services/notifications/inbox.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { insertUser, signedInAs } from "../support/billing.js";
import { csrfFrom } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

async function seed(userId: string, n: number) {
  for (let i = 0; i < n; i++) {
    await notifyUser(ctx.deps, {
      userId,
      type: "payment.approved",
      title: "notifications.types.paymentApproved.title",
      body: "notifications.types.paymentApproved.body",
      params: { until: "2030-01-01" },
      link: "/browse",
      dedupeKey: `seed:${userId}:${i}`,
    });
  }
  return ctx.deps.models.Notification.find({ userId }).sort({ createdAt: -1 }).lean();
}

describe("notifications", () => {
  it("the header bell shows the unread count on every page and as a fragment", async () => {
    const user = await insertUser(ctx.deps);
    await seed(user.id, 3);
    const agent = await signedInAs(ctx.app, user.email);
    const page = await agent.get("/plans");
    expect(page.text).toMatch(/data-testid="unread-count">3</);
    expect(page.text).toContain('data-hx-trigger="every 60s');
    const bell = await agent.get("/notifications/bell").set("HX-Request", "true").set("HX-Target", "notification-bell");
    expect(bell.status).toBe(200);
    expect(bell.text.trim().startsWith('<a id="notification-bell"')).toBe(true);
    expect(bell.text).toMatch(/data-testid="unread-count">3</);
  });

  it("lists notifications in the reader's language and marks one and all read", async () => {
    const user = await insertUser(ctx.deps);
    const items = await seed(user.id, 2);
    const agent = await signedInAs(ctx.app, user.email);
    const list = await agent.get("/notifications");
    expect(list.text).toContain("Payment approved");
    // The stored ISO day is shown as a date in the reader's language.
    expect(list.text).toContain("Your plan is active until 1 Jan 2030");
    const token = csrfFrom(list.text);
    const one = await agent
      .post(`/notifications/${String(items[0]!._id)}/read`)
      .set("HX-Request", "true")
      .set("HX-Target", `notification-${String(items[0]!._id)}`)
      .set("x-csrf-token", token);
    expect(one.status).toBe(200);
    expect(one.text).toContain(`id="notification-${String(items[0]!._id)}"`);
    expect(one.headers["hx-trigger"]).toBe("notifications-changed");
    expect(await ctx.deps.models.Notification.countDocuments({ userId: user.id, readAt: null })).toBe(1);
    await agent.post("/notifications/read-all").type("form").send({ _csrf: token }).expect(303);
    expect(await ctx.deps.models.Notification.countDocuments({ userId: user.id, readAt: null })).toBe(0);
    const bell = await agent.get("/notifications/bell");
    expect(bell.text).not.toContain("unread-count");
  });

  it("another user's notification id is a 404 and stays unread", async () => {
    const owner = await insertUser(ctx.deps);
    const [n] = await seed(owner.id, 1);
    const other = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, other.email);
    const token = csrfFrom((await agent.get("/notifications")).text);
    const res = await agent
      .post(`/notifications/${String(n!._id)}/read`)
      .type("form")
      .send({ _csrf: token });
    expect(res.status).toBe(404);
    expect((await ctx.deps.models.Notification.findById(n!._id).lean())?.readAt).toBeNull();
  });

  it("shows Vietnamese text to a Vietnamese reader", async () => {
    const user = await insertUser(ctx.deps);
    await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { locale: "vi" } });
    await seed(user.id, 1);
    const agent = await signedInAs(ctx.app, user.email);
    const list = await agent.get("/notifications");
    expect(list.text).toContain("Thanh toán đã được duyệt");
  });
});
