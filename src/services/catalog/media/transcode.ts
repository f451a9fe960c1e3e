// ffmpeg: one source -> an HLS ladder (the renditions the source allows, never upscaled), AAC
// audio, a master playlist, a poster frame and a storyboard sprite with its WebVTT thumbnails track.
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ProbeResult } from "./probe.js";

export interface Rendition {
  name: string;
  height: number;
  videoKbps: number;
}

/** The ladder, tallest first. A source shorter than 240 lines gets one rendition at its own height. */
export const LADDER: readonly Rendition[] = [
  { name: "1080p", height: 1080, videoKbps: 5000 },
  { name: "720p", height: 720, videoKbps: 2800 },
  { name: "480p", height: 480, videoKbps: 1400 },
  { name: "360p", height: 360, videoKbps: 800 },
  { name: "240p", height: 240, videoKbps: 400 },
];

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

export function renditionsFor(sourceHeight: number): Rendition[] {
  const fit = LADDER.filter((r) => r.height <= sourceHeight);
  if (fit.length > 0) return fit;
  const h = even(Math.min(sourceHeight, 239));
  return [{ name: `${h}p`, height: h, videoKbps: 300 }];
}

export interface TranscodeOptions {
  preset: string;
  segmentSec: number;
  /** 0..1 as ffmpeg works through the ladder. */
  onProgress?: (fraction: number) => void;
  /** Extra ffmpeg video filter before scaling (the set-up's title card text). */
  overlayFilter?: string;
}

export interface TranscodeOutput {
  renditions: string[];
  files: { master: string; poster: string; storyboard: string; thumbnails: string };
}

function ffmpeg(args: string[], onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("ffmpeg", ["-hide_banner", "-nostdin", "-y", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        onLine?.(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg failed (${signal ?? code}): ${err.trim().split("\n").slice(-3).join(" | ")}`));
    });
  });
}

/** Makes the whole stream folder in `outDir` (which must be empty or missing). */
export async function transcode(source: string, outDir: string, probe: ProbeResult, opts: TranscodeOptions): Promise<TranscodeOutput> {
  await mkdir(outDir, { recursive: true });
  const ladder = renditionsFor(probe.height);
  const n = ladder.length;
  const prefix = opts.overlayFilter ? `${opts.overlayFilter},` : "";
  const filter = [`[0:v]${prefix}split=${n}${ladder.map((_, i) => `[s${i}]`).join("")}`, ...ladder.map((r, i) => `[s${i}]scale=-2:${r.height},setsar=1[v${i}]`)].join(";");
  const audioInput = probe.hasAudio ? [] : ["-f", "lavfi", "-t", String(probe.durationSec), "-i", "anullsrc=r=48000:cl=stereo"];
  const audio = probe.hasAudio ? "0:a:0" : "1:a:0";
  const maps = ladder.flatMap((_, i) => ["-map", `[v${i}]`, "-map", audio]);
  const rates = ladder.flatMap((r, i) => [`-b:v:${i}`, `${r.videoKbps}k`, `-maxrate:v:${i}`, `${Math.round(r.videoKbps * 1.1)}k`, `-bufsize:v:${i}`, `${r.videoKbps * 2}k`]);
  const seg = opts.segmentSec;
  const total = probe.durationSec * 1_000_000;
  await ffmpeg(
    [
      "-loglevel",
      "error",
      "-i",
      source,
      ...audioInput,
      "-filter_complex",
      filter,
      ...maps,
      "-c:v",
      "libx264",
      "-preset",
      opts.preset,
      "-pix_fmt",
      "yuv420p",
      "-sc_threshold",
      "0",
      "-force_key_frames",
      `expr:gte(t,n_forced*${seg})`,
      ...rates,
      "-c:a",
      "aac",
      "-b:a",
      "128k",
      "-ac",
      "2",
      "-ar",
      "48000",
      "-shortest",
      "-f",
      "hls",
      "-hls_time",
      String(seg),
      "-hls_playlist_type",
      "vod",
      "-hls_flags",
      "independent_segments",
      "-hls_segment_filename",
      path.join(outDir, "%v", "seg_%03d.ts"),
      "-master_pl_name",
      "master.m3u8",
      "-var_stream_map",
      ladder.map((r, i) => `v:${i},a:${i},name:${r.name}`).join(" "),
      "-progress",
      "pipe:1",
      "-nostats",
      path.join(outDir, "%v", "index.m3u8"),
    ],
    (line) => {
      const m = /^out_time_us=(\d+)/.exec(line);
      if (m && total > 0) opts.onProgress?.(Math.min(0.99, Number(m[1]) / total));
    },
  );

  // Poster: a frame a quarter in (past any black opening), at most 720 lines.
  await ffmpeg(["-loglevel", "error", "-ss", (probe.durationSec / 4).toFixed(2), "-i", source, "-frames:v", "1", "-vf", `scale=-2:${Math.min(720, even(probe.height))}`, "-q:v", "3", path.join(outDir, "poster.jpg")]);

  // Storyboard: one 160-wide thumbnail every `every` seconds, tiled 10 across, and a WebVTT track
  // whose cues point at each tile (#xywh=) for the seek preview.
  const every = Math.min(10, Math.max(1, Math.ceil(probe.durationSec / 100)));
  const count = Math.max(1, Math.ceil(probe.durationSec / every));
  const cols = Math.min(10, count);
  const rows = Math.ceil(count / cols);
  const tw = 160;
  const th = even((tw * probe.height) / probe.width);
  await ffmpeg(["-loglevel", "error", "-i", source, "-vf", `fps=1/${every},scale=${tw}:${th},tile=${cols}x${rows}`, "-frames:v", "1", "-q:v", "5", path.join(outDir, "storyboard.jpg")]);
  const stamp = (sec: number) => {
    const ms = Math.round(sec * 1000);
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const s = Math.floor((ms % 60_000) / 1000);
    return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${String(ms % 1000).padStart(3, "0")}`;
  };
  const cues = ["WEBVTT", ""];
  for (let k = 0; k < count; k++) {
    const start = k * every;
    const end = Math.min((k + 1) * every, probe.durationSec);
    cues.push(`${stamp(start)} --> ${stamp(end)}`, `storyboard.jpg#xywh=${(k % cols) * tw},${Math.floor(k / cols) * th},${tw},${th}`, "");
  }
  await writeFile(path.join(outDir, "thumbnails.vtt"), cues.join("\n"));
  opts.onProgress?.(1);
  return {
    renditions: ladder.map((r) => r.name),
    files: { master: "master.m3u8", poster: "poster.jpg", storyboard: "storyboard.jpg", thumbnails: "thumbnails.vtt" },
  };
}
