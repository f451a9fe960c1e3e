import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { GOOD_PASSWORD, csrfToken, newAgent, signIn, signedInAgent, type Agent } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

async function addProfile(agent: Agent, name: string, extra: Record<string, string> = {}) {
  const token = await csrfToken(agent, "/profiles");
  return agent
    .post("/profiles")
    .type("form")
    .send({ _csrf: token, name, avatar: "blue", ...extra });
}

async function profilesOf(email: string) {
  const user = await ctx.deps.models.User.findOne({ email }).lean();
  return ctx.deps.models.Profile.find({ userId: user!._id }).sort({ slot: 1 }).lean();
}

async function select(agent: Agent, profileId: string, extra: Record<string, string> = {}) {
  const token = await csrfToken(agent, "/profiles");
  return agent
    .post(`/profiles/${profileId}/select`)
    .type("form")
    .send({ _csrf: token, ...extra });
}

describe("who's watching", () => {
  it("creates a first profile named after the account and enters it directly", async () => {
    const { agent, email } = await signedInAgent(ctx.app, "Mai");
    const res = await agent.get("/browse");
    expect(res.status).toBe(200);
    const profiles = await profilesOf(email);
    expect(profiles.map((p) => p.name)).toEqual(["Mai"]);
    expect(res.text).toContain('data-testid="profile-menu"');
  });

  it("asks who is watching once there are two profiles, then remembers the choice", async () => {
    const { agent, email } = await signedInAgent(ctx.app, "Lan");
    await agent.get("/browse");
    expect((await addProfile(agent, "Bao")).status).toBe(303);
    // A fresh sign-in (a new session) has not chosen yet.
    const again = newAgent(ctx.app);
    await signIn(again, email);
    const browse = await again.get("/browse");
    expect(browse.status).toBe(303);
    expect(browse.headers.location).toBe("/profiles?next=%2Fbrowse");
    const picker = await again.get("/profiles?next=%2Fbrowse");
    expect(picker.text).toContain("Bao");
    const bao = (await profilesOf(email)).find((p) => p.name === "Bao")!;
    const chosen = await select(again, String(bao._id), { next: "/browse" });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.location).toBe("/browse");
    const home = await again.get("/browse");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Bao");
  });

  it("caps an account at five profiles even when creates race", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    await agent.get("/browse");
    const token = await csrfToken(agent, "/profiles");
    const results = await Promise.all(
      ["A", "B", "C", "D", "E", "F"].map((name) => agent.post("/profiles").type("form").send({ _csrf: token, name, avatar: "green" })),
    );
    expect(results.filter((r) => r.status === 303)).toHaveLength(4);
    expect(results.filter((r) => r.status === 409)).toHaveLength(2);
    expect(await profilesOf(email)).toHaveLength(5);
  });

  it("renames, changes the avatar and refuses to delete the last profile", async () => {
    const { agent, email } = await signedInAgent(ctx.app, "Solo");
    await agent.get("/browse");
    const [only] = await profilesOf(email);
    const token = await csrfToken(agent, "/profiles");
    const edit = await agent.post(`/profiles/${only!._id}`).type("form").send({ _csrf: token, name: "Solo Two", avatar: "teal" });
    expect(edit.status).toBe(303);
    const [after] = await profilesOf(email);
    expect(after!.name).toBe("Solo Two");
    expect(after!.avatar).toBe("teal");
    const del = await agent.post(`/profiles/${only!._id}/delete`).type("form").send({ _csrf: token });
    expect(del.status).toBe(409);
    expect(await profilesOf(email)).toHaveLength(1);
  });

  it("rejects unknown form fields and invalid names without changing anything", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    await agent.get("/browse");
    const token = await csrfToken(agent, "/profiles");
    const extra = await agent.post("/profiles").type("form").send({ _csrf: token, name: "X", avatar: "red", userId: "000000000000000000000000" });
    expect(extra.status).toBe(400);
    const empty = await agent.post("/profiles").type("form").send({ _csrf: token, name: "  ", avatar: "red" });
    expect(empty.status).toBe(422);
    expect(await profilesOf(email)).toHaveLength(1);
  });
});

describe("profile scoping", () => {
  it("answers 404 for another account's profile id on every profile action", async () => {
    const owner = await signedInAgent(ctx.app, "Owner");
    await owner.agent.get("/browse");
    await addProfile(owner.agent, "Second");
    const [theirs] = await profilesOf(owner.email);
    const intruder = await signedInAgent(ctx.app, "Intruder");
    await intruder.agent.get("/browse");
    const token = await csrfToken(intruder.agent, "/profiles");
    const id = String(theirs!._id);
    expect((await intruder.agent.post(`/profiles/${id}/select`).type("form").send({ _csrf: token })).status).toBe(404);
    expect((await intruder.agent.get(`/profiles/${id}/edit`)).status).toBe(404);
    expect((await intruder.agent.get(`/profiles/${id}/unlock`)).status).toBe(404);
    expect((await intruder.agent.post(`/profiles/${id}`).type("form").send({ _csrf: token, name: "Hacked", avatar: "red" })).status).toBe(404);
    expect((await intruder.agent.post(`/profiles/${id}/delete`).type("form").send({ _csrf: token })).status).toBe(404);
    const after = await profilesOf(owner.email);
    expect(after).toHaveLength(2);
    expect(after[0]!.name).toBe("Owner");
  });
});

describe("profile PIN", () => {
  it("stores a hashed PIN set with the account password and asks for it before entering", async () => {
    const { agent, email } = await signedInAgent(ctx.app, "Parent");
    await agent.get("/browse");
    await addProfile(agent, "Kid", { kids: "on", maxMaturity: "PG" });
    const [parent] = await profilesOf(email);
    const token = await csrfToken(agent, "/profiles");
    const wrongPassword = await agent.post(`/profiles/${parent!._id}/pin`).type("form").send({ _csrf: token, pin: "1234", password: "not my password 1" });
    expect(wrongPassword.status).toBe(422);
    const badPin = await agent.post(`/profiles/${parent!._id}/pin`).type("form").send({ _csrf: token, pin: "12a4", password: GOOD_PASSWORD });
    expect(badPin.status).toBe(422);
    const ok = await agent.post(`/profiles/${parent!._id}/pin`).type("form").send({ _csrf: token, pin: "1234", password: GOOD_PASSWORD });
    expect(ok.status).toBe(303);
    const [locked] = await profilesOf(email);
    expect(locked!.pinHash).toMatch(/^\$argon2id\$/);

    const wrong = await select(agent, String(parent!._id), { pin: "9999" });
    expect(wrong.status).toBe(422);
    const right = await select(agent, String(parent!._id), { pin: "1234", next: "/browse" });
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe("/browse");
  });

  it("locks the profile after five wrong PINs, even for the right one", async () => {
    const { agent, email } = await signedInAgent(ctx.app, "Guarded");
    await agent.get("/browse");
    const [p] = await profilesOf(email);
    const token = await csrfToken(agent, "/profiles");
    await agent.post(`/profiles/${p!._id}/pin`).type("form").send({ _csrf: token, pin: "4321", password: GOOD_PASSWORD });
    for (let i = 0; i < 5; i++) expect((await select(agent, String(p!._id), { pin: "0000" })).status).toBe(422);
    expect((await select(agent, String(p!._id), { pin: "4321" })).status).toBe(429);
  });

  it("keeps a kids profile out of profile management", async () => {
    const { agent, email } = await signedInAgent(ctx.app, "Family");
    await agent.get("/browse");
    await addProfile(agent, "Tiny", { kids: "on", maxMaturity: "G" });
    const kid = (await profilesOf(email)).find((p) => p.name === "Tiny")!;
    expect(kid.maxMaturity).toBe("G");
    await select(agent, String(kid._id));
    expect((await agent.get("/profiles/manage")).status).toBe(403);
    const token = await csrfToken(agent, "/profiles");
    const lift = await agent.post(`/profiles/${kid._id}`).type("form").send({ _csrf: token, name: "Tiny", avatar: "red" });
    expect(lift.status).toBe(403);
    expect((await profilesOf(email)).find((p) => p.name === "Tiny")!.kids).toBe(true);
  });

  it("refuses a kids ceiling above teen ratings", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    await agent.get("/browse");
    const res = await addProfile(agent, "Teen", { kids: "on", maxMaturity: "R" });
    expect(res.status).toBe(422);
    expect(await profilesOf(email)).toHaveLength(1);
  });
});
