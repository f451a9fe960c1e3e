// Test helpers for uploaded media: tiny sources made with ffmpeg's lavfi test patterns, a media
// folder and a queue prefix of each test file's own, and waiting for a queued job.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Deps } from "../../src/deps.js";

const run = promisify(execFile);

/** A short test-pattern video with a tone: `seconds` long, `width`x`height`, H.264 + AAC in MP4. */
export async function makeSource(
  dir: string,
  opts: { seconds?: number; width?: number; height?: number; audio?: boolean; name?: string } = {},
): Promise<string> {
  const { seconds = 4, width = 640, height = 360, audio = true, name = "source.mp4" } = opts;
  const file = path.join(dir, name);
  const audioArgs = audio ? ["-f", "lavfi", "-i", `sine=frequency=523:sample_rate=48000:duration=${seconds}`] : [];
  await run("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${width}x${height}:rate=24:duration=${seconds}`,
    ...audioArgs,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    ...(audio ? ["-c:a", "aac", "-shortest"] : []),
    file,
  ]);
  return file;
}

/** Environment for a test file's own media folder and queue (the Redis is shared by every file). */
export function mediaEnv(over: Record<string, string> = {}): Record<string, string> {
  return {
    MEDIA_DIR: mkdtempSync(path.join(os.tmpdir(), "media-lib-")),
    MEDIA_QUEUE_PREFIX: `t${randomBytes(5).toString("hex")}`,
    MEDIA_X264_PRESET: "ultrafast",
    MEDIA_SEGMENT_SECONDS: "2",
    MEDIA_PURGE_DELAY_SECONDS: "0",
    ...over,
  };
}

/** Waits until the job is completed or failed; returns its final state. */
export async function waitForJob(deps: Deps, jobId: string, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await deps.media.queue.queue().getJob(jobId);
    const state = job ? await job.getState() : "missing";
    if (state === "completed" || state === "failed") return state;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
