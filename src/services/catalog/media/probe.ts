// ffprobe (Debian's ffmpeg package) checks an upload before anything is stored: a video stream,
// within the size and duration limits.
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import { ValidationError } from "../../../lib/errors.js";

const run = promisify(execFile);

export interface ProbeResult {
  width: number;
  height: number;
  durationSec: number;
  hasAudio: boolean;
  sizeBytes: number;
}

export interface ProbeLimits {
  maxUploadBytes: number;
  maxDurationSec: number;
}

// Single pictures ffprobe reads as one-frame "video".
const PICTURE_FORMATS = /^(image2|png_pipe|jpeg_pipe|webp_pipe|gif|bmp_pipe|tiff_pipe|svg_pipe)/;

interface FfprobeJson {
  streams?: { codec_type?: string; width?: number; height?: number; disposition?: { attached_pic?: number } }[];
  format?: { duration?: string; format_name?: string };
}

/**
 * What the file holds, or a ValidationError naming the problem (media.notVideo, media.tooLarge,
 * media.tooLong) under the `file` field.
 */
export async function probeMedia(file: string, limits: ProbeLimits): Promise<ProbeResult> {
  const { size } = await stat(file);
  if (size > limits.maxUploadBytes) throw new ValidationError({ file: "media.tooLarge" });
  let info: FfprobeJson;
  try {
    const { stdout } = await run("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file], { maxBuffer: 8 * 1024 * 1024, timeout: 60_000 });
    info = JSON.parse(stdout) as FfprobeJson;
  } catch {
    throw new ValidationError({ file: "media.notVideo" });
  }
  const video = info.streams?.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  const durationSec = Number(info.format?.duration);
  if (!video?.width || !video.height || PICTURE_FORMATS.test(info.format?.format_name ?? "") || !Number.isFinite(durationSec) || durationSec <= 0) {
    throw new ValidationError({ file: "media.notVideo" });
  }
  if (durationSec > limits.maxDurationSec) throw new ValidationError({ file: "media.tooLong" });
  return { width: video.width, height: video.height, durationSec, hasAudio: Boolean(info.streams?.some((s) => s.codec_type === "audio")), sizeBytes: size };
}
