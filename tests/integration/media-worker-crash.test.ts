// A transcode whose worker dies (kill -9, with its ffmpeg) is taken up by another worker process
// through BullMQ's stalled-job detection, and completes exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestMedia } from "../../src/services/catalog/index.js";
import { createTestContext, testEnv, type TestContext } from "../support/context.js";
import { makeSource, mediaEnv, waitForJob } from "../support/media.js";
import { seedTitle } from "../support/watching.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

let ctx: TestContext;
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = testEnv(mediaEnv({ MEDIA_JOB_LOCK_SECONDS: "2", LOG_LEVEL: "info" }));
  ctx = await createTestContext(env);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, "SIGKILL");
  await ctx?.close();
});

/** src/worker.ts in a process group of its own (so a kill takes its ffmpeg too), resolved once it consumes the queue. */
async function startWorker(over: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "src/worker.ts")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env, ...over },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${out.slice(-500)}`)), 60_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("media queue consumed")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => reject(new Error(`worker exited ${code}: ${out.slice(-500)}`)));
  });
  return child;
}

describe("a worker killed mid-transcode", () => {
  it("loses the job to another worker, which completes it once", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "media-crash-"));
    const source = await makeSource(tmp, { seconds: 10, width: 1280, height: 720 });
    const film = await seedTitle(ctx.deps, { title: "Crash Film", media: null });
    const events = new QueueEvents(ctx.deps.media.queue.queue().name, { connection: ctx.deps.media.queue.connection(), prefix: ctx.deps.media.queue.prefix });
    await events.waitUntilReady();
    const completions: string[] = [];
    events.on("completed", ({ jobId }) => completions.push(jobId));

    // The first worker encodes slowly, so it is surely mid-transcode when it dies.
    const first = await startWorker({ MEDIA_X264_PRESET: "medium" });
    const { jobId, version } = await ingestMedia(ctx.deps, source, { slug: film.slug });
    const deadline = Date.now() + 60_000;
    let progress = 0;
    while (progress < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const job = await ctx.deps.media.queue.queue().getJob(jobId);
      progress = typeof job?.progress === "number" ? job.progress : 0;
    }
    expect(progress).toBeGreaterThanOrEqual(1);
    expect(progress).toBeLessThan(100);
    const exited = new Promise((r) => first.once("exit", r));
    process.kill(-first.pid!, "SIGKILL");
    await exited;
    expect(await (await ctx.deps.media.queue.queue().getJob(jobId))!.getState()).toBe("active");

    await startWorker({ MEDIA_X264_PRESET: "ultrafast" });
    expect(await waitForJob(ctx.deps, jobId, 120_000)).toBe("completed");
    // Nothing else finishes it a second time.
    await new Promise((r) => setTimeout(r, 3000));
    expect(completions.filter((id) => id === jobId)).toEqual([jobId]);
    const publishes = await ctx.deps.models.AuditLog.countDocuments({ action: "media.publish", "details.version": version });
    expect(publishes).toBe(1);
    const doc = await ctx.deps.models.Title.findOne({ slug: film.slug }).lean();
    expect(doc!.media!.hlsUrl).toBe(`/media/library/${film.slug}/${version}/master.m3u8`);
    const dir = path.join(ctx.deps.media.root, "library", film.slug, version);
    expect(readdirSync(dir).sort()).toEqual(["240p", "360p", "480p", "720p", "master.m3u8", "poster.jpg", "storyboard.jpg", "thumbnails.vtt"]);
    expect(readdirSync(path.join(ctx.deps.media.root, "library", film.slug))).toEqual([version]);
    expect(readdirSync(path.join(ctx.deps.media.root, ".work"))).toEqual([]);
    expect(existsSync(path.join(ctx.deps.media.root, ".incoming", `${version}.src`))).toBe(false);
    await events.close();
  });
});
