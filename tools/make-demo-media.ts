// Set-up step: a short stream of its own for every demo title, made by the same transcode code as
// uploads (ffprobe, ladder, poster, storyboard + thumbnails track) with fast settings: a few
// seconds of colour with the title's name and a countdown, and a tone of its own; plus English and
// Vietnamese subtitles. Cached in media/titles/<slug>/ (a title already there is skipped).
//   node --import tsx tools/make-demo-media.ts [media dir, default <project>/media]
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { demoTitles } from "../src/services/catalog/demo/index.js";
import { DEMO_TITLE_SECONDS, demoSubtitles } from "../src/services/catalog/demo/streams.js";
import { probeMedia } from "../src/services/catalog/media/probe.js";
import { transcode } from "../src/services/catalog/media/transcode.js";
import { projectRoot } from "../src/lib/paths.js";

const run = promisify(execFile);
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
const out = path.resolve(process.argv[2] ?? path.join(projectRoot, "media"));
const CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism()));

function hash(slug: string): number {
  return createHash("sha256").update(slug).digest().readUInt32BE(0);
}

async function makeOne(slug: string, title: string): Promise<boolean> {
  const dir = path.join(out, "titles", slug);
  if (existsSync(path.join(dir, "master.m3u8"))) return false;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "demo-media-"));
  try {
    const h = hash(slug);
    const colour = `0x${(h & 0x7f7f7f).toString(16).padStart(6, "0")}`;
    const tone = 220 + (h % 660);
    // The title through a file: drawtext needs no escaping of quotes, colons or commas then.
    writeFileSync(path.join(tmp, "title.txt"), title);
    const text = existsSync(FONT)
      ? `,drawtext=fontfile=${FONT}:textfile=${path.join(tmp, "title.txt")}:fontcolor=white:fontsize=22:x=(w-text_w)/2:y=h/2-30,` +
        `drawtext=fontfile=${FONT}:text='%{eif\\:${DEMO_TITLE_SECONDS}-t\\:d}':fontcolor=white@0.85:fontsize=40:x=(w-text_w)/2:y=h/2+10`
      : "";
    const source = path.join(tmp, "source.mp4");
    await run("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      `color=c=${colour}:s=426x240:r=24:d=${DEMO_TITLE_SECONDS}`,
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=${tone}:sample_rate=48000:duration=${DEMO_TITLE_SECONDS}`,
      "-vf",
      `format=yuv420p${text}`,
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-c:a",
      "aac",
      "-shortest",
      source,
    ]);
    const probe = await probeMedia(source, { maxUploadBytes: 1e9, maxDurationSec: 600 });
    const work = path.join(tmp, "out");
    await transcode(source, work, probe, { preset: "ultrafast", segmentSec: 2 });
    mkdirSync(path.join(work, "subs"), { recursive: true });
    for (const [lang, vtt] of Object.entries(demoSubtitles(title))) writeFileSync(path.join(work, "subs", `${lang}.vtt`), vtt);
    // Copied next to its place, then renamed in: a half-made folder is never taken for a cached one.
    mkdirSync(path.dirname(dir), { recursive: true });
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(work, staging, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return true;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  const titles = demoTitles().map((t) => ({ slug: t.slug, title: t.title }));
  let next = 0;
  let made = 0;
  const worker = async () => {
    while (next < titles.length) {
      const t = titles[next++]!;
      if (await makeOne(t.slug, t.title)) made++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  console.log(`demo streams: ${made} made, ${titles.length - made} cached, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error("make-demo-media failed:", err instanceof Error ? err.message : err);
  process.exit(1);
});
