// Viewing activity: an item can be hidden (it leaves the history and Continue Watching for good,
// buffered saves included), and the profile's activity downloads as CSV.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { postProgress, seedSeries, seedTitle, viewer } from "../support/watching.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe("viewing activity", () => {
  it("hides one film or episode from the history in place, and it stays hidden", async () => {
    const film = await seedTitle(ctx.deps, { title: "Hidden Film" });
    const show = await seedSeries(ctx.deps, { title: "Kept Serial" });
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    // Still in the write buffer when hidden: the buffered save must not bring it back.
    await postProgress(agent, token, { slug: film.slug, position: 100, duration: 1000, ts: 1 });
    await postProgress(agent, token, { slug: show.slug, episode: "s1e1", position: 200, duration: 1000, ts: 1 });
    const before = (await agent.get("/history")).text;
    expect(before).toContain("Hidden Film");
    expect(before).toContain(`action="/history/${film.id}/main/hide"`);

    const hx = await agent.post(`/history/${film.id}/main/hide`).set("HX-Request", "true").set("x-csrf-token", token).type("form").send({ _csrf: token });
    expect(hx.status).toBe(200);
    expect(hx.text).toBe("");
    const after = (await agent.get("/history")).text;
    expect(after).not.toContain("Hidden Film");
    expect(after).toContain("Kept Serial");
    expect((await agent.get("/browse")).text).not.toContain(`/watch/${film.slug}"`);
    expect(await ctx.deps.models.WatchProgress.countDocuments({ profileId, titleId: film.id })).toBe(0);

    // Again, or another profile's item, or a malformed key: 404.
    expect((await agent.post(`/history/${film.id}/main/hide`).type("form").send({ _csrf: token })).status).toBe(404);
    expect((await agent.post(`/history/${show.id}/nope/hide`).type("form").send({ _csrf: token })).status).toBe(404);
    const other = await viewer(ctx.app, ctx.deps);
    expect((await other.agent.post(`/history/${show.id}/s1e1/hide`).type("form").send({ _csrf: other.token })).status).toBe(404);
    // Without the token nothing changes.
    expect((await agent.post(`/history/${show.id}/s1e1/hide`).type("form").send({})).status).toBe(403);
    expect((await agent.get("/history")).text).toContain("Kept Serial");
  });

  it("downloads the profile's activity as CSV, with quoting and no formulas", async () => {
    const film = await seedTitle(ctx.deps, { title: '=Tricky, "Quoted" Film' });
    const show = await seedSeries(ctx.deps, { title: "Csv Serial" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: film.slug, position: 450, duration: 900, ts: 1 });
    await postProgress(agent, token, { slug: show.slug, episode: "s2e1", position: 1500, duration: 1500, ts: 2 });
    expect((await agent.get("/history")).text).toContain('href="/history.csv"');
    const res = await agent
      .get("/history.csv")
      .buffer(true)
      .parse((r, done) => {
        let body = "";
        r.setEncoding("utf8");
        r.on("data", (chunk: string) => (body += chunk));
        r.on("end", () => done(null, body));
      });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers["content-disposition"]).toContain("attachment");
    const lines = String(res.body)
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("title,season,episode,last_watched,position_seconds,duration_seconds,percent,completed");
    expect(lines[1]).toMatch(/^Csv Serial,2,1,\d{4}-\d{2}-\d{2}T[^,]+,1500,1500,100,yes$/);
    expect(lines[2]).toMatch(/^"'=Tricky, ""Quoted"" Film",,,[^,]+,450,900,50,no$/);
    expect(lines).toHaveLength(3);
  });
});
