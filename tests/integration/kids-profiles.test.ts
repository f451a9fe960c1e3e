import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { postProgress, seedSeries, seedTitle, viewer } from "../support/watching.js";
import { recordPlay } from "../../src/services/catalog/stats.js";

let ctx: TestContext;
let adult: Awaited<ReturnType<typeof seedTitle>>;
let mature: Awaited<ReturnType<typeof seedTitle>>;
let gentle: Awaited<ReturnType<typeof seedTitle>>;
let family: Awaited<ReturnType<typeof seedTitle>>;

beforeAll(async () => {
  ctx = await createTestContext();
  adult = await seedTitle(ctx.deps, { title: "Quokka Nights", maturity: "R", genres: ["crime"], popularity: 9999 });
  mature = await seedSeries(ctx.deps, { title: "Quokka Underworld", maturity: "TV-MA", genres: ["crime"], popularity: 9998 });
  gentle = await seedTitle(ctx.deps, { title: "Quokka Picnic", maturity: "G", genres: ["crime"], popularity: 1 });
  family = await seedSeries(ctx.deps, { title: "Quokka Friends", maturity: "TV-Y", genres: ["crime"], popularity: 2 });
  // The grown-up titles are the most played today, so Top 10 would lead with them.
  for (let i = 0; i < 5; i++) {
    await recordPlay(ctx.deps, adult.id);
    await recordPlay(ctx.deps, mature.id);
  }
});
afterAll(async () => {
  await ctx?.close();
});

/** A subscriber switched into a new kids profile with the given ceiling. */
async function kidsViewer(maxMaturity = "PG") {
  const v = await viewer(ctx.app, ctx.deps);
  await v.agent.post("/profiles").type("form").send({ _csrf: v.token, name: "Little One", avatar: "yellow", kids: "on", maxMaturity });
  const kid = await ctx.deps.models.Profile.findOne({ userId: v.user.id, kids: true }).lean();
  const chosen = await v.agent.post(`/profiles/${kid!._id}/select`).type("form").send({ _csrf: v.token });
  expect(chosen.status).toBe(303);
  return { ...v, kidId: String(kid!._id) };
}

const grownUp = [/Quokka Nights/, /Quokka Underworld/];
const expectKidSafe = (html: string) => grownUp.forEach((re) => expect(html).not.toMatch(re));

describe("kids profiles", () => {
  it("never show an R or TV-MA title on browse, search, genre pages or Top 10", async () => {
    const { agent } = await kidsViewer();
    const browse = await agent.get("/browse");
    expect(browse.status).toBe(200);
    expect(browse.text).toContain("Quokka Picnic");
    expectKidSafe(browse.text);
    const search = await agent.get("/search?q=quokka");
    expect(search.status).toBe(200);
    expect(search.text).toContain("Quokka Friends");
    expectKidSafe(search.text);
    const genre = await agent.get("/genre/crime");
    expect(genre.text).toContain("Quokka Picnic");
    expectKidSafe(genre.text);
  });

  it("answer 404 for grown-up titles by direct URL: title page, dialog, watch, trailer", async () => {
    const { agent } = await kidsViewer();
    for (const url of [
      `/title/${adult.slug}`,
      `/title/${mature.slug}`,
      `/watch/${adult.slug}`,
      `/watch/${mature.slug}/s/1/e/1`,
      `/watch/${adult.slug}/trailer`,
    ]) {
      const res = await agent.get(url);
      expect(res.status, url).toBe(404);
      expectKidSafe(res.text);
    }
    const dialog = await agent.get(`/title/${adult.slug}`).set("HX-Request", "true").set("HX-Target", "title-dialog");
    expect(dialog.status).toBe(404);
    expect((await agent.get(`/title/${gentle.slug}`)).status).toBe(200);
    expect((await agent.get(`/watch/${family.slug}/s/1/e/1`)).status).toBe(200);
  });

  it("cannot list, rate or save progress for a title above the ceiling", async () => {
    const { agent, token, kidId } = await kidsViewer();
    expect((await agent.post(`/my-list/${adult.id}`).type("form").send({ _csrf: token, inList: "1" })).status).toBe(404);
    expect((await agent.post(`/ratings/${adult.id}`).type("form").send({ _csrf: token, value: "2" })).status).toBe(404);
    expect((await postProgress(agent, token, { slug: adult.slug, position: 1, duration: 100, ts: 1 })).status).toBe(404);
    expect(await ctx.deps.models.ListEntry.countDocuments({ profileId: kidId })).toBe(0);
    expect(await ctx.deps.models.Rating.countDocuments({ profileId: kidId })).toBe(0);
    expect(await ctx.deps.models.WatchProgress.countDocuments({ profileId: kidId })).toBe(0);
  });

  it("hides titles saved before the ceiling was lowered from My List and Continue Watching", async () => {
    const v = await viewer(ctx.app, ctx.deps);
    await v.agent.post(`/my-list/${adult.id}`).type("form").send({ _csrf: v.token, inList: "1" });
    await postProgress(v.agent, v.token, { slug: adult.slug, position: 100, duration: 1000, ts: 1 });
    expect((await v.agent.get("/my-list")).text).toContain("Quokka Nights");
    const edit = await v.agent
      .post(`/profiles/${v.profileId}`)
      .type("form")
      .send({ _csrf: v.token, name: "Now Kids", avatar: "red", kids: "on", maxMaturity: "PG" });
    expect(edit.status).toBe(303);
    expectKidSafe((await v.agent.get("/my-list")).text);
    expectKidSafe((await v.agent.get("/browse")).text);
    expectKidSafe((await v.agent.get("/history")).text);
  });

  it("a teen ceiling allows PG-13 and TV-14 but still not R", async () => {
    const teen = await seedTitle(ctx.deps, { title: "Quokka Teen", maturity: "PG-13" });
    const { agent } = await kidsViewer("PG-13");
    expect((await agent.get(`/title/${teen.slug}`)).status).toBe(200);
    expect((await agent.get(`/title/${adult.slug}`)).status).toBe(404);
  });

  it("a ceiling set on one device applies to a session on another device at its next request", async () => {
    const v = await viewer(ctx.app, ctx.deps);
    const { signedInAs } = await import("../support/billing.js");
    const tv = await signedInAs(ctx.app, (await ctx.deps.models.User.findById(v.user.id).lean())!.email);
    expect((await tv.get(`/title/${adult.slug}`)).status).toBe(200);
    const edit = await v.agent
      .post(`/profiles/${v.profileId}`)
      .type("form")
      .send({ _csrf: v.token, name: "Now Kids", avatar: "red", kids: "on", maxMaturity: "G" });
    expect(edit.status).toBe(303);
    expect((await tv.get(`/title/${adult.slug}`)).status).toBe(404);
    expect((await tv.get(`/title/${gentle.slug}`)).status).toBe(200);
  });
});
