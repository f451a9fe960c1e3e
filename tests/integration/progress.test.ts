import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { flushAllProgress, postProgress, seedSeries, seedTitle, viewer } from "../support/watching.js";
import { dayKey } from "../../src/services/catalog/stats.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

/** The stored row, after the buffered saves have been written. */
async function progressOf(profileId: string, titleId: string, episodeKey = "main") {
  await flushAllProgress(ctx.deps);
  return ctx.deps.models.WatchProgress.findOne({ profileId, titleId, episodeKey }).lean();
}

describe("saving progress", () => {
  it("stores the position and resumes the watch page a few seconds before it", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const res = await postProgress(agent, token, { slug: film.slug, position: 600, duration: 5400, ts: Date.now() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ saved: true, completed: false });
    const row = await progressOf(profileId, film.id);
    expect(row?.positionSec).toBe(600);
    expect(row?.durationSec).toBe(5400);
    const page = await agent.get(`/watch/${film.slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-resume="597"');
    expect(page.text).toContain('data-testid="resume-note"');
    const over = await agent.get(`/watch/${film.slug}?from=start`);
    expect(over.text).toContain('data-resume="0"');
  });

  it("marks a title completed at 90% and starts it over next time", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const below = await postProgress(agent, token, { slug: film.slug, position: 89, duration: 100, ts: 1000 });
    expect(below.body.completed).toBe(false);
    const at = await postProgress(agent, token, { slug: film.slug, position: 90, duration: 100, ts: 2000 });
    expect(at.body.completed).toBe(true);
    expect((await progressOf(profileId, film.id))?.completed).toBe(true);
    const page = await agent.get(`/watch/${film.slug}`);
    expect(page.text).toContain('data-resume="0"');
  });

  it("ignores a save older than the stored one, even when it arrives later", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: film.slug, position: 300, duration: 1000, ts: 2000 });
    const stale = await postProgress(agent, token, { slug: film.slug, position: 120, duration: 1000, ts: 1000 });
    expect(stale.status).toBe(200);
    expect(stale.body.saved).toBe(false);
    expect((await progressOf(profileId, film.id))?.positionSec).toBe(300);
    // A rewind is a newer save: it wins, because the client's clock says it came later.
    await postProgress(agent, token, { slug: film.slug, position: 60, duration: 1000, ts: 3000 });
    expect((await progressOf(profileId, film.id))?.positionSec).toBe(60);
  });

  it("keeps the newest position when many saves race in any order", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const saves = Array.from({ length: 25 }, (_, i) => ({ position: (i + 1) * 10, ts: 10_000 + i }));
    saves.sort(() => Math.random() - 0.5);
    await Promise.all(saves.map((s) => postProgress(agent, token, { slug: film.slug, duration: 1000, ...s })));
    const row = await progressOf(profileId, film.id);
    expect(row?.positionSec).toBe(250);
    expect(row?.clientTs).toBe(10_024);
    await flushAllProgress(ctx.deps);
    expect(await ctx.deps.models.WatchProgress.countDocuments({ profileId, titleId: film.id })).toBe(1);
  });

  it("refuses a save without an active subscription and stores nothing", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps, { subscribed: false });
    const res = await postProgress(agent, token, { slug: film.slug, position: 10, duration: 100, ts: Date.now() });
    expect(res.status).toBe(403);
    expect(await progressOf(profileId, film.id)).toBeNull();
    expect((await agent.get(`/watch/${film.slug}`)).status).toBe(403);
  });

  it("refuses a save without the CSRF token", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, profileId } = await viewer(ctx.app, ctx.deps);
    const res = await agent.post("/progress").type("form").send({ slug: film.slug, episode: "main", position: "10", duration: "100", ts: "1" });
    expect(res.status).toBe(403);
    expect(await progressOf(profileId, film.id)).toBeNull();
  });

  it("rejects unknown fields, bad numbers and episodes a film does not have", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const extra = await agent
      .post("/progress")
      .type("form")
      .send({ _csrf: token, slug: film.slug, episode: "main", position: "1", duration: "10", ts: "1", profileId: "x" });
    expect(extra.status).toBe(400);
    expect((await postProgress(agent, token, { slug: film.slug, position: -5, duration: 10, ts: 2 })).status).toBe(422);
    expect((await postProgress(agent, token, { slug: film.slug, position: 50, duration: 10, ts: 3 })).status).toBe(422);
    expect((await postProgress(agent, token, { slug: film.slug, episode: "s1e1", position: 1, duration: 10, ts: 4 })).status).toBe(404);
    expect(await progressOf(profileId, film.id)).toBeNull();
  });

  it("counts one play per profile and day in titlestats", async () => {
    const film = await seedTitle(ctx.deps);
    const a = await viewer(ctx.app, ctx.deps);
    const b = await viewer(ctx.app, ctx.deps);
    await postProgress(a.agent, a.token, { slug: film.slug, position: 10, duration: 100, ts: 1 });
    await postProgress(a.agent, a.token, { slug: film.slug, position: 20, duration: 100, ts: 2 });
    await postProgress(b.agent, b.token, { slug: film.slug, position: 10, duration: 100, ts: 1 });
    await flushAllProgress(ctx.deps);
    const stat = await ctx.deps.models.TitleStat.findOne({ titleId: film.id, day: dayKey(new Date()) }).lean();
    expect(stat?.plays).toBe(2);
  });
});

describe("Continue Watching", () => {
  it("shows started titles newest first with their bars, and drops finished ones", async () => {
    const first = await seedTitle(ctx.deps, { title: "Older Start" });
    const second = await seedTitle(ctx.deps, { title: "Newer Start" });
    const done = await seedTitle(ctx.deps, { title: "All Done" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: first.slug, position: 250, duration: 1000, ts: 1 });
    await postProgress(agent, token, { slug: done.slug, position: 980, duration: 1000, ts: 1 });
    await postProgress(agent, token, { slug: second.slug, position: 500, duration: 1000, ts: 1 });
    const html = (await agent.get("/browse")).text;
    const row = /<section[^>]*id="row-continue-watching"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(row).toContain("Newer Start");
    expect(row.indexOf("Newer Start")).toBeLessThan(row.indexOf("Older Start"));
    expect(row).not.toContain("All Done");
    expect(row).toContain('value="50"');
    expect(row).toContain('value="25"');
    expect(row).toContain(`href="/watch/${second.slug}"`);
  });

  it("removes a title from the row in place and keeps it out until it is watched again", async () => {
    const film = await seedTitle(ctx.deps, { title: "Hide Me" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: film.slug, position: 100, duration: 1000, ts: 1 });
    expect((await agent.get("/browse")).text).toContain('id="cw-remove-' + film.id + '"');
    const hx = await agent
      .post(`/progress/${film.id}/hide`)
      .set("HX-Request", "true")
      .set("HX-Trigger", `cw-remove-${film.id}`)
      .set("x-csrf-token", token)
      .type("form")
      .send({});
    expect(hx.status).toBe(200);
    expect(hx.text).toBe("");
    const after = (await agent.get("/browse")).text;
    expect(after).not.toContain('id="row-continue-watching"');
    await postProgress(agent, token, { slug: film.slug, position: 150, duration: 1000, ts: 2 });
    expect((await agent.get("/browse")).text).toContain('id="row-continue-watching"');
  });

  it("answers 404 when hiding a title the profile never watched (another profile's rows stay)", async () => {
    const film = await seedTitle(ctx.deps);
    const owner = await viewer(ctx.app, ctx.deps);
    await postProgress(owner.agent, owner.token, { slug: film.slug, position: 100, duration: 1000, ts: 1 });
    const other = await viewer(ctx.app, ctx.deps);
    const res = await other.agent.post(`/progress/${film.id}/hide`).type("form").send({ _csrf: other.token });
    expect(res.status).toBe(404);
    expect((await progressOf(owner.profileId, film.id))?.hiddenFromRow).toBe(false);
  });

  it("offers the next episode of a series once an episode is finished", async () => {
    const show = await seedSeries(ctx.deps, { title: "Serial Row" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: show.slug, episode: "s1e2", position: 1500, duration: 1500, ts: 1 });
    const html = (await agent.get("/browse")).text;
    expect(html).toContain(`href="/watch/${show.slug}/s/2/e/1"`);
    const play = await agent.get(`/watch/${show.slug}`);
    expect(play.status).toBe(303);
    expect(play.headers.location).toBe(`/watch/${show.slug}/s/2/e/1`);
  });
});

describe("history", () => {
  it("lists what the profile watched, newest first, with episodes", async () => {
    const film = await seedTitle(ctx.deps, { title: "History Film" });
    const show = await seedSeries(ctx.deps, { title: "History Serial" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: film.slug, position: 100, duration: 100, ts: 1 });
    await postProgress(agent, token, { slug: show.slug, episode: "s1e1", position: 30, duration: 100, ts: 1 });
    const res = await agent.get("/history");
    expect(res.status).toBe(200);
    expect(res.text.indexOf("History Serial")).toBeLessThan(res.text.indexOf("History Film"));
    expect(res.text).toContain("Season 1, episode 1");
    expect(res.text).toContain("30% watched");
  });
});

describe("the progress write buffer", () => {
  it("the worker's flush-progress job writes saves left behind by a web process that stopped", async () => {
    const { createRedis, waitForRedis } = await import("../../src/lib/redis.js");
    const { createProgressBuffer } = await import("../../src/services/watching/progress-buffer.js");
    const { findJob } = await import("../../src/jobs/schedule.js");
    const { runJob } = await import("../../src/services/ops/jobs.js");
    // A database of its own, so no other save in this file flushes the buffer first.
    const quiet = await createTestContext();
    try {
      const film = await seedTitle(quiet.deps);
      const { profileId } = await viewer(quiet.app, quiet.deps);
      // A "web process" with its own Redis connection buffers a save and dies before its flush.
      const doomed = createRedis(quiet.config.redisUrl, 1000);
      await waitForRedis(doomed);
      const doomedBuffer = createProgressBuffer({ ...quiet.deps, redis: doomed });
      await doomedBuffer.save(
        profileId,
        { titleId: film.id, episodeKey: "main", clientTs: 7, positionSec: 321, durationSec: 1000, completed: false, savedAt: new Date() },
        dayKey(new Date()),
      );
      await doomedBuffer.close();
      doomed.disconnect();
      await new Promise((r) => setTimeout(r, 700));
      expect(await quiet.deps.models.WatchProgress.findOne({ profileId, titleId: film.id }).lean()).toBeNull();

      const run = await runJob(quiet.deps, findJob("flush-progress")!, { fireTime: new Date(), trigger: "manual" });

      expect(run.status).toBe("succeeded");
      expect((await quiet.deps.models.WatchProgress.findOne({ profileId, titleId: film.id }).lean())?.positionSec).toBe(321);
    } finally {
      await quiet.close();
    }
  });

  it("writes saves to the database shortly after, without being asked", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: film.slug, position: 42, duration: 100, ts: 5 });
    const deadline = Date.now() + 5000;
    let row = null;
    while (!row && Date.now() < deadline) {
      row = await ctx.deps.models.WatchProgress.findOne({ profileId, titleId: film.id }).lean();
      if (!row) await new Promise((r) => setTimeout(r, 100));
    }
    expect(row?.positionSec).toBe(42);
  });

  it("never lets an older buffered save overwrite a newer stored row", async () => {
    const film = await seedTitle(ctx.deps);
    const { profileId } = await viewer(ctx.app, ctx.deps);
    const { writeRows } = await import("../../src/services/watching/progress-rows.js");
    const row = (clientTs: number, positionSec: number) => ({
      titleId: film.id,
      episodeKey: "main",
      clientTs,
      positionSec,
      durationSec: 100,
      completed: false,
      savedAt: new Date(),
    });
    await writeRows(ctx.deps, [{ profileId, row: row(20, 80) }]);
    await writeRows(ctx.deps, [{ profileId, row: row(10, 30) }]);
    await writeRows(ctx.deps, [
      { profileId, row: row(15, 50) },
      { profileId, row: row(25, 90) },
    ]);
    const stored = await ctx.deps.models.WatchProgress.findOne({ profileId, titleId: film.id }).lean();
    expect(stored?.clientTs).toBe(25);
    expect(stored?.positionSec).toBe(90);
  });

  it("drops buffered saves of a deleted profile instead of writing them", async () => {
    const film = await seedTitle(ctx.deps);
    const { agent, token, user } = await viewer(ctx.app, ctx.deps);
    await agent.post("/profiles").type("form").send({ _csrf: token, name: "Short Lived", avatar: "red" });
    const temp = await ctx.deps.models.Profile.findOne({ userId: user.id, name: "Short Lived" }).lean();
    await agent.post(`/profiles/${temp!._id}/select`).type("form").send({ _csrf: token });
    await postProgress(agent, token, { slug: film.slug, position: 10, duration: 100, ts: 1 });
    const main = await ctx.deps.models.Profile.findOne({ userId: user.id, slot: 0 }).lean();
    await agent.post(`/profiles/${main!._id}/select`).type("form").send({ _csrf: token });
    expect((await agent.post(`/profiles/${temp!._id}/delete`).type("form").send({ _csrf: token })).status).toBe(303);
    await flushAllProgress(ctx.deps);
    expect(await ctx.deps.models.WatchProgress.countDocuments({ profileId: temp!._id })).toBe(0);
  });
});
