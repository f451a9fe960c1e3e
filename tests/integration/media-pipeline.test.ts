// The media pipeline end to end with real ffmpeg, Redis (BullMQ) and FerretDB: ingest -> queue ->
// transcode -> switch -> purge, and the ffprobe checks that refuse a file before anything is stored.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestMedia, probeMedia, purgeOldVersions, renditionsFor, startMediaWorker } from "../../src/services/catalog/index.js";
import { activeSubscriber, adminAgent, signedInAs } from "../support/billing.js";
import { runCliInProcess } from "../support/cli.js";
import { csrfFrom, type Agent } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { makeSource, mediaEnv, waitForJob } from "../support/media.js";
import { seedSeries, seedTitle } from "../support/watching.js";

let ctx: TestContext;
let worker: Worker;
let tmp: string;
let source: string;
beforeAll(async () => {
  ctx = await createTestContext(mediaEnv());
  worker = startMediaWorker(ctx.deps);
  tmp = mkdtempSync(path.join(os.tmpdir(), "media-src-"));
  source = await makeSource(tmp, { seconds: 4, width: 854, height: 480 });
});
afterAll(async () => {
  await worker?.close();
  await ctx?.close();
});

const incoming = () => (existsSync(path.join(ctx.deps.media.root, ".incoming")) ? readdirSync(path.join(ctx.deps.media.root, ".incoming")) : []);

describe("ladder", () => {
  it("never upscales", () => {
    expect(renditionsFor(2160).map((r) => r.name)).toEqual(["1080p", "720p", "480p", "360p", "240p"]);
    expect(renditionsFor(480).map((r) => r.name)).toEqual(["480p", "360p", "240p"]);
    expect(renditionsFor(144).map((r) => r.name)).toEqual(["144p"]);
  });
});

describe("ingest", () => {
  it("transcodes a film through the queue into a version folder and switches the title to it", async () => {
    const film = await seedTitle(ctx.deps, { title: "Pipeline Film", media: null });
    const { jobId, version, probe } = await ingestMedia(ctx.deps, source, { slug: film.slug });
    expect(probe).toMatchObject({ width: 854, height: 480, hasAudio: true });
    expect(await waitForJob(ctx.deps, jobId)).toBe("completed");

    const dir = path.join(ctx.deps.media.root, "library", film.slug, version);
    expect(readdirSync(dir).sort()).toEqual(["240p", "360p", "480p", "master.m3u8", "poster.jpg", "storyboard.jpg", "thumbnails.vtt"]);
    const master = readFileSync(path.join(dir, "master.m3u8"), "utf8");
    expect(master).toMatch(/RESOLUTION=854x480/);
    expect(master).toMatch(/mp4a\.40\.2/);
    expect(master).not.toMatch(/720p/);
    expect(readdirSync(path.join(dir, "480p")).filter((f) => f.endsWith(".ts")).length).toBeGreaterThanOrEqual(2);
    const vtt = readFileSync(path.join(dir, "thumbnails.vtt"), "utf8");
    expect(vtt.startsWith("WEBVTT")).toBe(true);
    expect(vtt).toContain("00:00:00.000 --> 00:00:01.000\nstoryboard.jpg#xywh=0,0,160,90");
    expect(readFileSync(path.join(dir, "poster.jpg")).subarray(0, 2).toString("hex")).toBe("ffd8");
    // The source is gone once transcoded; no work folder is left.
    expect(incoming()).toEqual([]);
    expect(readdirSync(path.join(ctx.deps.media.root, ".work"))).toEqual([]);

    const doc = await ctx.deps.models.Title.findOne({ slug: film.slug }).lean();
    expect(doc!.media).toEqual({
      hlsUrl: `/media/library/${film.slug}/${version}/master.m3u8`,
      thumbnailsUrl: `/media/library/${film.slug}/${version}/thumbnails.vtt`,
    });

    // Served to a subscriber, capped by the plan like any stream.
    const user = await activeSubscriber(ctx.deps, 10, "standard");
    const agent = await signedInAs(ctx.app, user.email);
    const res = await agent.get(`/media/library/${film.slug}/${version}/master.m3u8`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("480p/index.m3u8");
    expect((await agent.get(`/media/library/${film.slug}/${version}/480p/seg_000.ts`)).status).toBe(200);
    expect((await agent.get(`/media/.incoming/x.src`)).status).toBe(404);

    // A new upload replaces it; the old version is purged by the job that follows.
    const second = await ingestMedia(ctx.deps, source, { slug: film.slug });
    expect(await waitForJob(ctx.deps, second.jobId)).toBe("completed");
    const deadline = Date.now() + 30_000;
    while (existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(path.join(ctx.deps.media.root, "library", film.slug))).toEqual([second.version]);
    expect(await purgeOldVersions(ctx.deps, film.slug)).toEqual([]);
  });

  it("switches one episode of a series, and a silent source gets an AAC track", async () => {
    const series = await seedSeries(ctx.deps, { title: "Pipeline Serial" });
    const silent = await makeSource(tmp, { seconds: 2, width: 320, height: 240, audio: false, name: "silent.mp4" });
    const { jobId, version } = await ingestMedia(ctx.deps, silent, { slug: series.slug, season: 1, episode: 2 });
    expect(await waitForJob(ctx.deps, jobId)).toBe("completed");
    const doc = await ctx.deps.models.Title.findOne({ slug: series.slug }).lean();
    const eps = doc!.seasons[0]!.episodes;
    expect(eps[1]!.hlsUrl).toBe(`/media/library/${series.slug}/${version}/master.m3u8`);
    expect(eps[0]!.hlsUrl).toBe("/media/demo/master.m3u8");
    const master = readFileSync(path.join(ctx.deps.media.root, "library", series.slug, version, "master.m3u8"), "utf8");
    expect(master).toMatch(/mp4a\.40\.2/);
    await expect(ingestMedia(ctx.deps, silent, { slug: series.slug })).rejects.toMatchObject({ messageKey: "media.episodeNeeded" });
    await expect(ingestMedia(ctx.deps, silent, { slug: series.slug, season: 9, episode: 1 })).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a text file renamed .mp4, and files over the size or duration limit, storing nothing", async () => {
    const film = await seedTitle(ctx.deps, { title: "Refusals", media: null });
    const fake = path.join(tmp, "notes.mp4");
    writeFileSync(fake, "these are not moving pictures\n".repeat(50));
    const before = await ctx.deps.media.queue.queue().getJobCounts();
    await expect(ingestMedia(ctx.deps, fake, { slug: film.slug })).rejects.toMatchObject({ status: 422, fields: { file: "media.notVideo" } });
    const picture = path.join(tmp, "still.png");
    const { execFileSync } = await import("node:child_process");
    execFileSync("ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1", picture]);
    await expect(ingestMedia(ctx.deps, picture, { slug: film.slug })).rejects.toMatchObject({ fields: { file: "media.notVideo" } });
    await expect(probeMedia(source, { maxUploadBytes: 100, maxDurationSec: 600 })).rejects.toMatchObject({ fields: { file: "media.tooLarge" } });
    await expect(probeMedia(source, { maxUploadBytes: 1e9, maxDurationSec: 2 })).rejects.toMatchObject({ fields: { file: "media.tooLong" } });
    await expect(ingestMedia(ctx.deps, source, { slug: "no-such-title" })).rejects.toMatchObject({ status: 404 });
    expect(await ctx.deps.media.queue.queue().getJobCounts()).toEqual(before);
    expect(incoming()).toEqual([]);
    expect(existsSync(path.join(ctx.deps.media.root, "library", film.slug))).toBe(false);
  });
});

describe("netflix-admin media", () => {
  it("ingests a file with progress lines (--json) and lists the job", async () => {
    const film = await seedTitle(ctx.deps, { title: "CLI Film", media: null });
    const res = await runCliInProcess(ctx.deps, ["media", "ingest", source, "--title", film.slug, "--json"]);
    expect(res.code).toBe(0);
    const lines = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; jobId: string; progress?: number; hlsUrl?: string });
    expect(lines[0]).toMatchObject({ event: "queued", width: 854, height: 480 });
    expect(lines.some((l) => l.event === "progress")).toBe(true);
    const done = lines.at(-1)!;
    expect(done.event).toBe("completed");
    const doc = await ctx.deps.models.Title.findOne({ slug: film.slug }).lean();
    expect(doc!.media!.hlsUrl).toBe(done.hlsUrl);

    const jobs = await runCliInProcess(ctx.deps, ["media", "jobs", "--title", film.slug, "--json"]);
    expect(JSON.parse(jobs.stdout)).toEqual([expect.objectContaining({ id: done.jobId, state: "completed", progress: 100, slug: film.slug })]);
  });

  it("refuses a file that is not a video with a clear message", async () => {
    const film = await seedTitle(ctx.deps, { title: "CLI Refusal", media: null });
    const fake = path.join(tmp, "readme.mp4");
    writeFileSync(fake, "plain text, not a film");
    const res = await runCliInProcess(ctx.deps, ["media", "ingest", fake, "--title", film.slug]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/not a video/i);
  });
});

describe("admin upload (tus)", () => {
  async function tusUpload(agent: Agent, token: string, body: Buffer, meta: Record<string, string>) {
    const metadata = Object.entries(meta)
      .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
      .join(",");
    const created = await agent
      .post("/admin/media/uploads")
      .set({ "Tus-Resumable": "1.0.0", "Upload-Length": String(body.length), "Upload-Metadata": metadata, "x-csrf-token": token });
    expect(created.status).toBe(201);
    const location = created.headers.location!;
    expect(location).toMatch(/^\/admin\/media\/uploads\/[A-Za-z0-9]+$/);
    // Two chunks, as a resumed upload would send them.
    const half = Math.floor(body.length / 2);
    const first = await agent
      .patch(location)
      .set({ "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "x-csrf-token": token })
      .send(body.subarray(0, half));
    expect(first.status).toBe(204);
    const head = await agent.head(location).set({ "Tus-Resumable": "1.0.0" });
    expect(head.headers["upload-offset"]).toBe(String(half));
    return agent
      .patch(location)
      .set({ "Tus-Resumable": "1.0.0", "Upload-Offset": String(half), "Content-Type": "application/offset+octet-stream", "x-csrf-token": token })
      .send(body.subarray(half));
  }

  it("takes a resumable upload into the queue, and shows the job on the title page and the media page", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const token = csrfFrom((await agent.get("/admin/media")).text);
    const film = await seedTitle(ctx.deps, { title: "Uploaded Film", media: null });
    const res = await tusUpload(agent, token, readFileSync(source), { slug: film.slug, filename: "my film.mp4" });
    expect(res.status).toBe(200);
    const { jobId } = JSON.parse(res.text) as { jobId: string };
    expect(await waitForJob(ctx.deps, jobId)).toBe("completed");
    expect(readdirSync(path.join(ctx.deps.media.root, ".uploads"))).toEqual([]);
    const page = await agent.get(`/admin/catalog/${film.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="media-upload-form"');
    expect(page.text).toContain("my film.mp4");
    const fragment = await agent.get(`/admin/media?slug=${film.slug}`).set({ "HX-Request": "true", "HX-Target": "media-jobs" });
    expect(fragment.text).toMatch(/^<div id="media-jobs"/);
    expect(fragment.text).toContain('data-state="completed"');
    expect(fragment.text).not.toContain("every 2s");
  });

  it("refuses a text file with the message, keeping nothing; and needs the CSRF token", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const token = csrfFrom((await agent.get("/admin/media")).text);
    const film = await seedTitle(ctx.deps, { title: "Upload Refusal", media: null });
    const res = await tusUpload(agent, token, Buffer.from("just words\n".repeat(100)), { slug: film.slug, filename: "words.mp4" });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/not a video/i);
    expect(readdirSync(path.join(ctx.deps.media.root, ".uploads"))).toEqual([]);
    const noToken = await agent.post("/admin/media/uploads").set({ "Tus-Resumable": "1.0.0", "Upload-Length": "10" });
    expect(noToken.status).toBe(403);
    const subscriber = await signedInAs(ctx.app, (await activeSubscriber(ctx.deps)).email);
    expect((await subscriber.post("/admin/media/uploads").set({ "Tus-Resumable": "1.0.0", "Upload-Length": "10", "x-csrf-token": token })).status).toBe(403);
  });
});
