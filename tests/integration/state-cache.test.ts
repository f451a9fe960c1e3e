// The per-owner state caches (lib/state-cache) and the shared /browse row fragments (lib/fragments):
// a copy never outlives a write, whichever way the write is made, and a shared fragment carries
// neither another viewer's CSRF token nor another profile's My List marks.
import { Types } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedState, touchState } from "../../src/lib/state-cache.js";
import { notifyUser } from "../../src/services/notifications/inbox.js";
import { activeSubscriber, signedInAs } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom } from "../support/http.js";
import { seedTitle, viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const scope = { name: "test-scope", ttlSeconds: 60 };
const hits = async (name: string) =>
  (await ctx.deps.metrics.cacheRequests.get()).values.find((v) => v.labels.cache === name && v.labels.result === "hit")?.value ?? 0;

describe("cachedState", () => {
  it("loads once, then answers from Redis until the owner's state is touched", async () => {
    const owner = new Types.ObjectId().toHexString();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cachedState(ctx.deps, scope, owner, load)).toBe(1);
    expect(await cachedState(ctx.deps, scope, owner, load)).toBe(1);
    await touchState(ctx.deps, scope, [owner]);
    expect(await cachedState(ctx.deps, scope, owner, load)).toBe(2);
    // A scope-wide touch (a write naming no single owner) retires every owner's copy.
    await touchState(ctx.deps, scope, null);
    expect(await cachedState(ctx.deps, scope, owner, load)).toBe(3);
    expect(loads).toBe(3);
  });

  it("never keeps a copy loaded while a write happened", async () => {
    const owner = new Types.ObjectId().toHexString();
    let value = "before";
    // The write lands (and touches) after the loader read the old value, before it is stored.
    const racing = cachedState(ctx.deps, scope, owner, async () => {
      const seen = value;
      value = "after";
      await touchState(ctx.deps, scope, [owner]);
      return seen;
    });
    expect(await racing).toBe("before");
    expect(await cachedState(ctx.deps, scope, owner, async () => value)).toBe("after");
  });
});

describe("the signed-in user", () => {
  it("is read from the cache, and a direct write to the user document reaches the next request", async () => {
    const user = await activeSubscriber(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    expect((await agent.get("/account")).status).toBe(200);
    const before = await hits("user");
    expect((await agent.get("/account")).status).toBe(200);
    expect(await hits("user")).toBeGreaterThan(before);

    await ctx.deps.models.User.updateOne({ _id: user.id }, { $set: { status: "suspended" } });
    const turnedAway = await agent.get("/account");
    expect(turnedAway.status).toBe(303);
    expect(turnedAway.headers.location).toMatch(/^\/login/);
  });

  it("a write to many users at once retires every cached user", async () => {
    const user = await activeSubscriber(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    expect((await agent.get("/account")).status).toBe(200);
    await ctx.deps.models.User.updateMany({ email: user.email }, { $set: { status: "suspended" } });
    expect((await agent.get("/account")).status).toBe(303);
  });
});

describe("the account's profiles", () => {
  it("come with the user in the same read, and a direct write to a profile reaches the next request", async () => {
    const v = await viewer(ctx.app, ctx.deps);
    const adult = await seedTitle(ctx.deps, { maturity: "R" });
    expect((await v.agent.get(`/title/${adult.slug}`)).status).toBe(200);
    const before = await hits("profiles");
    expect((await v.agent.get(`/title/${adult.slug}`)).status).toBe(200);
    expect(await hits("profiles")).toBeGreaterThan(before);
    // The copy holds the profile created on the first visit (that write retired the empty list).
    const copy = JSON.parse((await ctx.deps.redis.get(`state:profiles:${v.user.id}`)) ?? "{}") as { d?: { id: string }[] };
    expect(copy.d?.map((p) => p.id)).toEqual([v.profileId]);

    // Not through the profile pages: the Profile model itself reports the write.
    await ctx.deps.models.Profile.updateOne({ _id: v.profileId, userId: v.user.id }, { $set: { kids: true, maxMaturity: "G" } });
    expect((await v.agent.get(`/title/${adult.slug}`)).status).toBe(404);

    // A profile deleted elsewhere is forgotten: with two others left, the next page asks who is watching.
    await ctx.deps.models.Profile.insertMany([
      { userId: v.user.id, slot: 1, name: "Second", avatar: "blue" },
      { userId: v.user.id, slot: 2, name: "Third", avatar: "green" },
    ]);
    await ctx.deps.models.Profile.deleteOne({ _id: v.profileId, userId: v.user.id });
    const browse = await v.agent.get("/browse");
    expect(browse.status).toBe(303);
    expect(browse.headers.location).toMatch(/^\/profiles/);
  });
});

describe("per-profile state on /browse", () => {
  it("shows a list entry written straight to the database, and the bell counts a new notification", async () => {
    const film = await seedTitle(ctx.deps, { title: "Cached State Film" });
    const { agent, user, profileId } = await viewer(ctx.app, ctx.deps);
    const first = (await agent.get("/browse")).text;
    expect(first).not.toContain('id="row-my-list"');

    await ctx.deps.models.ListEntry.create({ profileId, titleId: film.id, addedAt: new Date() });
    await notifyUser(ctx.deps, { userId: user.id, type: "test", title: "notifications.test", dedupeKey: `state-cache:${user.id}` });
    const next = (await agent.get("/browse")).text;
    const row = /<section[^>]*id="row-my-list"[\s\S]*?<\/section>/.exec(next)?.[0] ?? "";
    expect(row).toContain("Cached State Film");
    expect(next).toMatch(/data-testid="unread-count">1</);
  });

  it("shares catalog rows between profiles without sharing My List marks or CSRF tokens", async () => {
    const film = await seedTitle(ctx.deps, { title: "Shared Row Film" });
    const a = await viewer(ctx.app, ctx.deps);
    const b = await viewer(ctx.app, ctx.deps);
    await ctx.deps.models.ListEntry.create({ profileId: a.profileId, titleId: film.id, addedAt: new Date() });

    const pageA = (await a.agent.get("/browse")).text;
    const pageB = (await b.agent.get("/browse")).text;
    const button = (html: string) => new RegExp(`id="mylist-new-${film.id}"[\\s\\S]*?aria-pressed="(true|false)"`).exec(html)?.[1];
    expect(button(pageA)).toBe("true");
    expect(button(pageB)).toBe("false");

    for (const [page, agentToken] of [
      [pageA, csrfFrom(pageA)],
      [pageB, csrfFrom(pageB)],
    ] as const) {
      const tokens = new Set([...page.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]));
      expect(tokens).toEqual(new Set([agentToken]));
      expect(page).not.toContain("csrf-slot-");
      expect(page).not.toContain("fragment-slot-");
    }
    expect(csrfFrom(pageA)).not.toBe(csrfFrom(pageB));
  });
});
