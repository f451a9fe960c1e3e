// Plan limits on the server: the quality cap on master playlists, variant playlists and segments,
// and the screens limit (one lease per device, renewed by the player, stoppable by a grown-up).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { capMasterPlaylist } from "../../src/routes/media.js";
import { qualityHeight } from "../../src/services/billing/index.js";
import { activeSubscriber, signedInAs } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom, type Agent } from "../support/http.js";
import { postProgress, seedTitle } from "../support/watching.js";

const LADDER = [
  { name: "1080p", w: 1920, h: 1080 },
  { name: "720p", w: 1280, h: 720 },
  { name: "480p", w: 854, h: 480 },
  { name: "360p", w: 640, h: 360 },
];
const STREAM = "/media/library/cap-test/v1";

let ctx: TestContext;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "media-cap-"));
  const stream = path.join(dir, "library", "cap-test", "v1");
  const master = ["#EXTM3U", "#EXT-X-VERSION:6"];
  for (const r of LADDER) {
    mkdirSync(path.join(stream, r.name), { recursive: true });
    writeFileSync(path.join(stream, r.name, "index.m3u8"), "#EXTM3U\n#EXTINF:2.0,\nseg_000.ts\n#EXT-X-ENDLIST\n");
    writeFileSync(path.join(stream, r.name, "seg_000.ts"), "segment");
    master.push(`#EXT-X-STREAM-INF:BANDWIDTH=${r.h * 1000},RESOLUTION=${r.w}x${r.h},CODECS="avc1.4d401e,mp4a.40.2"`, `${r.name}/index.m3u8`, "");
  }
  writeFileSync(path.join(stream, "master.m3u8"), master.join("\n"));
  mkdirSync(path.join(dir, "trailer"), { recursive: true });
  ctx = await createTestContext({ MEDIA_DIR: dir });
});
afterAll(async () => {
  await ctx?.close();
});

async function subscriber(plan: string, app = ctx.app) {
  const user = await activeSubscriber(ctx.deps, 10, plan);
  return { user, agent: await signedInAs(app, user.email) };
}

function variants(playlist: string): string[] {
  return playlist.split("\n").filter((l) => l.endsWith("/index.m3u8"));
}

describe("quality cap", () => {
  it("reads a plan's quality as a height", () => {
    expect([qualityHeight("480p"), qualityHeight("720p"), qualityHeight("1080p"), qualityHeight("4K+HDR")]).toEqual([480, 720, 1080, 2160]);
    expect(capMasterPlaylist("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1920x1080\nhigh.m3u8\n", 720)).toBeNull();
  });

  it("gives a Basic subscriber a master playlist without 1080p and 403 on its playlist and segments", async () => {
    const { agent } = await subscriber("basic");
    const master = await agent.get(`${STREAM}/master.m3u8`);
    expect(master.status).toBe(200);
    expect(master.headers["content-type"]).toMatch(/mpegurl/);
    expect(master.headers["cache-control"]).toMatch(/private/);
    expect(variants(master.text)).toEqual(["720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8"]);
    expect(master.text).not.toMatch(/1920x1080/);
    expect((await agent.get(`${STREAM}/1080p/index.m3u8`)).status).toBe(403);
    expect((await agent.get(`${STREAM}/1080p/seg_000.ts`)).status).toBe(403);
    expect((await agent.get(`${STREAM}/1080p%2Fseg_000.ts`)).status).not.toBe(200);
    expect((await agent.get(`${STREAM}/720p/index.m3u8`)).status).toBe(200);
    expect((await agent.get(`${STREAM}/720p/seg_000.ts`)).status).toBe(200);
  });

  it("caps Mobile at 480p and gives Standard 1080p", async () => {
    const mobile = await subscriber("mobile");
    expect(variants((await mobile.agent.get(`${STREAM}/master.m3u8`)).text)).toEqual(["480p/index.m3u8", "360p/index.m3u8"]);
    expect((await mobile.agent.get(`${STREAM}/720p/seg_000.ts`)).status).toBe(403);
    const standard = await subscriber("standard");
    expect(variants((await standard.agent.get(`${STREAM}/master.m3u8`)).text)).toHaveLength(4);
    expect((await standard.agent.get(`${STREAM}/1080p/seg_000.ts`)).status).toBe(200);
  });
});

describe("screens", () => {
  // A clock the test moves forward: leases end SCREEN_LEASE_MS after their last renewal.
  let offsetMs = 0;
  let app: ReturnType<typeof createApp>;
  let film: { slug: string };
  beforeAll(async () => {
    const deps: Deps = { ...ctx.deps, clock: { now: () => new Date(Date.now() + offsetMs) } };
    app = createApp(deps, { shuttingDown: false });
    film = await seedTitle(ctx.deps, { title: "Screens Test Film", media: { hlsUrl: `${STREAM}/master.m3u8` } });
  });

  async function device(email: string, userAgent: string): Promise<{ agent: Agent; token: string }> {
    const agent = await signedInAs(app, email);
    agent.set("User-Agent", userAgent);
    const token = csrfFrom((await agent.get("/profiles")).text);
    return { agent, token };
  }
  const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
  const SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

  it("refuses a second stream on a 1-screen plan with the list of streams, and allows it once the first is stopped", async () => {
    const user = await activeSubscriber(ctx.deps, 10, "basic");
    const first = await device(user.email, FIREFOX);
    const second = await device(user.email, SAFARI);
    expect((await first.agent.get(`/watch/${film.slug}`)).status).toBe(200);
    // The same device opening the page again keeps its one screen.
    expect((await first.agent.get(`/watch/${film.slug}`)).status).toBe(200);

    const refused = await second.agent.get(`/watch/${film.slug}`);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("Screens Test Film");
    expect(refused.text).toContain("Firefox");
    const stop = /action="\/streams\/([A-Za-z0-9_-]{22})\/stop"/.exec(refused.text);
    expect(stop).not.toBeNull();

    const stopped = await second.agent
      .post(`/streams/${stop![1]}/stop`)
      .type("form")
      .send({ _csrf: second.token, next: `/watch/${film.slug}` });
    expect(stopped.status).toBe(303);
    expect(stopped.headers.location).toBe(`/watch/${film.slug}`);
    expect((await second.agent.get(`/watch/${film.slug}`)).status).toBe(200);

    // The stopped player learns on its next heartbeat, and cannot take the screen back by it.
    const beat = await first.agent.post("/watch/lease").type("form").send({ _csrf: first.token, slug: film.slug, episode: "main" });
    expect(beat.status).toBe(409);
    expect(beat.body).toEqual({ state: "stopped" });
    const list = await first.agent.get("/streams");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Safari");
    expect((await second.agent.post("/watch/lease").type("form").send({ _csrf: second.token, slug: film.slug, episode: "main" })).status).toBe(200);
  });

  it("frees the screen of a player nobody renews within a minute; progress saves keep it", async () => {
    const user = await activeSubscriber(ctx.deps, 10, "mobile");
    const first = await device(user.email, FIREFOX);
    const second = await device(user.email, SAFARI);
    offsetMs = 0;
    try {
      expect((await first.agent.get(`/watch/${film.slug}`)).status).toBe(200);
      // Progress saves every 40 s keep the lease alive past its minute.
      for (let i = 1; i <= 2; i++) {
        offsetMs = i * 40_000;
        expect((await postProgress(first.agent, first.token, { slug: film.slug, position: i * 40, duration: 600, ts: Date.now() + i })).status).toBe(200);
      }
      offsetMs = 110_000;
      expect((await second.agent.get(`/watch/${film.slug}`)).status).toBe(409);
      // The first player closed after its last save at 80 s: a minute later its screen is free.
      offsetMs = 141_000;
      expect((await second.agent.get(`/watch/${film.slug}`)).status).toBe(200);
    } finally {
      offsetMs = 0;
    }
  });

  it("lets a Standard account watch on two devices, and only a grown-up profile stop a stream", async () => {
    const user = await activeSubscriber(ctx.deps, 10, "standard");
    const a = await device(user.email, FIREFOX);
    const b = await device(user.email, SAFARI);
    const c = await device(user.email, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36");
    expect((await a.agent.get(`/watch/${film.slug}`)).status).toBe(200);
    expect((await b.agent.get(`/watch/${film.slug}`)).status).toBe(200);
    await c.agent.post("/profiles").type("form").send({ _csrf: c.token, name: "Little One", avatar: "yellow", kids: "on", maxMaturity: "PG" });
    const kid = await ctx.deps.models.Profile.findOne({ userId: user.id, kids: true }).lean();
    expect((await c.agent.post(`/profiles/${kid!._id}/select`).type("form").send({ _csrf: c.token })).status).toBe(303);
    const refused = await c.agent.get(`/watch/${film.slug}`);
    expect(refused.status).toBe(409);
    expect(refused.text).not.toContain("/stop");
    const list = await a.agent.get("/streams");
    const lease = /action="\/streams\/([A-Za-z0-9_-]{22})\/stop"/.exec(list.text)![1];
    expect((await c.agent.post(`/streams/${lease}/stop`).type("form").send({ _csrf: c.token })).status).toBe(403);
    // A lease id that is not this account's stops nothing.
    expect(
      (
        await a.agent
          .post(`/streams/${"x".repeat(22)}/stop`)
          .type("form")
          .send({ _csrf: a.token })
      ).status,
    ).toBe(303);
    expect((await b.agent.post("/watch/lease").type("form").send({ _csrf: b.token, slug: film.slug, episode: "main" })).status).toBe(200);
  });
});
