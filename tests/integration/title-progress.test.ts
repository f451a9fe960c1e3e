// Progress where the viewer chooses: the title page and dialog say Resume (with the episode, the
// time left and a bar), episodes carry stills and their own bars, Continue Watching uses
// landscape tiles.
import request from "supertest";
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

const playButton = (html: string) => /<a[^>]*data-testid="play-button"[^>]*>[\s\S]*?<\/a>/.exec(html)?.[0] ?? "";

describe("the title page and dialog", () => {
  it("say Play before the film is started, then Resume with the time left and a bar", async () => {
    const film = await seedTitle(ctx.deps, { title: "Resumable Film" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    const before = (await agent.get(`/title/${film.slug}`)).text;
    expect(playButton(before)).toMatch(/> Play<\/a>$/);
    expect(before).not.toContain('data-testid="resume-line"');

    await postProgress(agent, token, { slug: film.slug, position: 3060, duration: 5400, ts: 1 });
    for (const res of [
      await agent.get(`/title/${film.slug}`),
      await agent.get(`/title/${film.slug}`).set("HX-Request", "true").set("HX-Target", "title-dialog"),
    ]) {
      expect(playButton(res.text)).toMatch(/href="\/watch\/[^"]+"[\s\S]*> Resume<\/a>$/);
      const line = /<div class="resume-line"[\s\S]*?<\/div>/.exec(res.text)?.[0] ?? "";
      expect(line).toContain('value="57"');
      expect(line).toContain("39 min left");
    }
  });

  it("say Resume S1:E2 for the episode in progress, open its season, and mark each episode's progress", async () => {
    const show = await seedSeries(ctx.deps, { title: "Resumable Serial" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: show.slug, episode: "s1e1", position: 1500, duration: 1500, ts: 1 });
    await postProgress(agent, token, { slug: show.slug, episode: "s1e2", position: 750, duration: 1500, ts: 2 });
    const html = (await agent.get(`/title/${show.slug}`)).text;
    expect(playButton(html)).toContain(`href="/watch/${show.slug}/s/1/e/2"`);
    expect(playButton(html)).toMatch(/Resume S1:E2<\/a>$/);
    expect(html).toContain("13 min left");
    const episodes = /<ol class="episode-list">[\s\S]*?<\/ol>/.exec(html)?.[0] ?? "";
    expect(episodes).toContain(`src="/art/${show.slug}/still/1/1.svg"`);
    expect(episodes).toMatch(/episode__progress" max="100" value="100"/);
    expect(episodes).toMatch(/episode--current[\s\S]*?value="50"/);

    // Finishing the season's last episode turns Play into the next season's first.
    await postProgress(agent, token, { slug: show.slug, episode: "s1e2", position: 1500, duration: 1500, ts: 3 });
    const next = (await agent.get(`/title/${show.slug}`)).text;
    expect(playButton(next)).toContain(`href="/watch/${show.slug}/s/2/e/1"`);
    expect(playButton(next)).toMatch(/Play S2:E1<\/a>$/);
    expect(next).toContain("Return");

    const vi = await agent.post("/account/language").type("form").send({ _csrf: token, locale: "vi", next: "/browse" });
    expect(vi.status).toBe(303);
    expect(playButton((await agent.get(`/title/${show.slug}`)).text)).toMatch(/Xem P2:T1<\/a>$/);
  });

  it("serves an episode still for a published title and 404 for a bad number", async () => {
    const show = await seedSeries(ctx.deps, { title: "Still Serial" });
    const res = await request(ctx.app).get(`/art/${show.slug}/still/1/2.svg`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("image/svg+xml");
    expect(String(res.body)).toMatch(/^<svg[^>]*viewBox="0 0 480 270"/);
    expect((await request(ctx.app).get(`/art/${show.slug}/still/x/2.svg`)).status).toBe(404);
  });
});

describe("Continue Watching", () => {
  it("uses landscape tiles with the backdrop and the bar over it", async () => {
    const film = await seedTitle(ctx.deps, { title: "Landscape Film" });
    const { agent, token } = await viewer(ctx.app, ctx.deps);
    await postProgress(agent, token, { slug: film.slug, position: 300, duration: 1000, ts: 1 });
    const html = (await agent.get("/browse")).text;
    const row = /<section[^>]*id="row-continue-watching"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(row).toContain("card--landscape");
    expect(row).toContain(`src="/art/${film.slug}/backdrop.svg"`);
    expect(row).toMatch(/card__progress--over" max="100" value="30"/);
  });
});
