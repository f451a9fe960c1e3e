import { randomBytes, randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signOutEverywhere, suspendUser, unsuspendUser } from "../../src/services/accounts/index.js";
import { defaultConsumers, dispatchOutbox } from "../../src/services/notifications/index.js";
import { pendingPayment } from "../support/billing.js";
import { cliEnv, runCli } from "../support/cli.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, csrfFrom, newAgent, uniqueEmail, type Agent } from "../support/http.js";
import { seedTitle } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ TRUST_PROXY_HOPS: "1" });
});
afterAll(async () => {
  await ctx?.close();
});

/** Every document of every collection in the database, as one JSON string per collection. */
async function everyCollection(): Promise<Map<string, string>> {
  const db = ctx.deps.conn.db!;
  const out = new Map<string, string>();
  for (const { name } of await db.listCollections().toArray()) out.set(name, JSON.stringify(await db.collection(name).find({}).toArray()));
  return out;
}

// Per-IP abuse counters ("rl:" from the rate limiter) are keyed by the address, hold no link to any
// account and expire with their window; erasing them on deletion would let anyone reset their own
// limits by deleting an account. Everything else must not name the deleted person.
const IP_KEYED_COUNTERS = /^rl:/;

/** Every Redis key with what it holds, whatever its type. */
async function everyRedisKey(): Promise<{ key: string; value: string }[]> {
  const { redis } = ctx.deps;
  const out: { key: string; value: string }[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "COUNT", 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown = null;
      if (type === "string") value = await redis.get(key);
      else if (type === "hash") value = await redis.hgetall(key);
      else if (type === "set") value = await redis.smembers(key);
      else if (type === "zset") value = await redis.zrange(key, 0, -1);
      else if (type === "list") value = await redis.lrange(key, 0, -1);
      out.push({ key, value: JSON.stringify(value) });
    }
  } while (cursor !== "0");
  return out;
}

const token = async (agent: Agent, ip: string, path = "/account") => csrfFrom((await agent.get(path).set("X-Forwarded-For", ip)).text);

describe("account deletion", () => {
  it("leaves the email, names and IP address in no collection and no Redis key", async () => {
    const tag = randomBytes(4).toString("hex");
    const email = uniqueEmail(`erase${tag}`);
    const name = `Zebulon ${tag}`;
    const profileName = `Pip${tag}`;
    const ip = `10.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
    const agent = newAgent(ctx.app);
    const reg = await agent.get("/register").set("X-Forwarded-For", ip);
    await agent
      .post("/register")
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: csrfFrom(reg.text), email, displayName: name, password: GOOD_PASSWORD });
    const login = await agent.get("/login").set("X-Forwarded-For", ip);
    expect(
      (
        await agent
          .post("/login")
          .set("X-Forwarded-For", ip)
          .type("form")
          .send({ _csrf: csrfFrom(login.text), email, password: GOOD_PASSWORD })
      ).status,
    ).toBe(303);
    const user = await ctx.deps.models.User.findOne({ email }).lean();
    const userId = String(user!._id);

    // A life on the site: a welcome notification, a second profile with a list entry, a pending
    // payment, a password change, and an operator suspending and restoring the account.
    await dispatchOutbox(ctx.deps, defaultConsumers());
    await agent.get("/profiles").set("X-Forwarded-For", ip);
    const t1 = await token(agent, ip, "/profiles/new");
    await agent.post("/profiles").set("X-Forwarded-For", ip).type("form").send({ _csrf: t1, name: profileName, avatar: "green" });
    const kid = await ctx.deps.models.Profile.findOne({ userId, name: profileName }).lean();
    await agent
      .post(`/profiles/${String(kid!._id)}/select`)
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: t1 });
    const title = await seedTitle(ctx.deps);
    await agent.post(`/my-list/${title.id}`).set("X-Forwarded-For", ip).type("form").send({ _csrf: t1, inList: "1" });
    await pendingPayment(ctx.deps, userId);
    const newPassword = "a brand new pass 7";
    const changed = await agent
      .post("/account/password")
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: await token(agent, ip), currentPassword: GOOD_PASSWORD, newPassword, confirmPassword: newPassword });
    expect(changed.status).toBe(303);
    await signOutEverywhere(ctx.deps, email, "admin:ops", "192.0.2.10");
    await suspendUser(ctx.deps, email, "admin:ops", "192.0.2.10");
    await unsuspendUser(ctx.deps, email, "admin:ops", "192.0.2.10");
    const again = newAgent(ctx.app);
    const page = await again.get("/login").set("X-Forwarded-For", ip);
    await again
      .post("/login")
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email, password: newPassword });
    await again.get("/account").set("X-Forwarded-For", ip);

    const deleted = await again
      .post("/account/delete")
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: await token(again, ip, "/account/delete"), password: newPassword });
    expect(deleted.status).toBe(200);

    const needles = [email, name, profileName, ip];
    for (const [collection, docs] of await everyCollection()) {
      for (const needle of needles) expect(docs.includes(needle), `${collection} holds ${needle}`).toBe(false);
    }
    expect((await everyCollection()).get("users")).toContain(userId);
    for (const { key, value } of await everyRedisKey()) {
      for (const needle of needles) {
        expect(value.includes(needle), `Redis ${key} holds ${needle}`).toBe(false);
        if (!IP_KEYED_COUNTERS.test(key)) expect(key.includes(needle), `Redis key ${key} names ${needle}`).toBe(false);
      }
    }
  });
});

describe("audit details", () => {
  it("name accounts by id, never by email, for suspend, unsuspend, sign-out-everywhere and CLI create-admin", async () => {
    const admin = uniqueEmail("opsadmin");
    const res = await runCli(["users", "create-admin", "--email", admin, "--name", "Ops", "--password-stdin"], cliEnv(ctx.config), `${GOOD_PASSWORD}\n`);
    expect(res.code).toBe(0);
    await suspendUser(ctx.deps, admin, "admin:ops");
    await unsuspendUser(ctx.deps, admin, "admin:ops");
    await signOutEverywhere(ctx.deps, admin, "admin:ops");
    const user = await ctx.deps.models.User.findOne({ email: admin }).lean();
    const lines = await ctx.deps.models.AuditLog.find({ target: `user:${String(user!._id)}` }).lean();
    expect(lines.map((l) => l.action).sort()).toEqual(["sessions.revoke", "user.create-admin", "user.suspend", "user.unsuspend"]);
    expect(JSON.stringify(lines)).not.toContain(admin);
  });
});
