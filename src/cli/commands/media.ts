// netflix-admin media ingest <file> --title <slug> [--season N --episode N] | subtitles | intro | jobs: uploaded films
// through the same ffprobe checks and transcode queue as the admin page.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { addSubtitle, ingestMedia, listMediaJobs, setIntroMarkers } from "../../services/catalog/index.js";
import { parseArgs } from "../args.js";
import { CliUsageError, type CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";

const ingestArgs = z.strictObject({
  title: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
  season: z.coerce.number().int().min(0).max(999).optional(),
  episode: z.coerce.number().int().min(1).max(9999).optional(),
  json: z.boolean().optional(),
  wait: z.boolean().default(true),
  timeout: z.coerce.number().int().min(1).max(86_400).default(3600),
});
const subtitleArgs = z.strictObject({
  title: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
  lang: z.string().regex(/^[a-z]{2}$/, "a two-letter language code"),
  season: z.coerce.number().int().min(0).max(999).optional(),
  episode: z.coerce.number().int().min(1).max(9999).optional(),
  json: z.boolean().optional(),
});
const introArgs = z.strictObject({
  title: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
  season: z.coerce.number().int().min(0).max(999).optional(),
  episode: z.coerce.number().int().min(1).max(9999).optional(),
  start: z.coerce.number().min(0).max(86_400).optional(),
  end: z.coerce.number().min(0).max(86_400).optional(),
  clear: z.boolean().optional(),
});
const jobsArgs = z.strictObject({
  json: z.boolean().optional(),
  title: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(30),
});

function bar(pct: number): string {
  const width = 30;
  const full = Math.round((pct / 100) * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}] ${String(pct).padStart(3)}%`;
}

export function registerMediaCommands(program: Command, ctx: CliContext): void {
  const media = program.command("media").description("uploaded films: ingest and transcode jobs");

  media
    .command("ingest")
    .description("check a video file (ffprobe), queue its transcode, and follow it until the title plays it")
    .argument("<file>", "the video file")
    .requiredOption("--title <slug>", "the title's slug")
    .option("--season <n>", "season number (series)")
    .option("--episode <n>", "episode number (series)")
    .option("--no-wait", "queue the transcode and return")
    .option("--timeout <seconds>", "how long to wait for the transcode", "3600")
    .option("--json", "print progress and the result as JSON lines")
    .action(async (file: string, opts: unknown) => {
      const o = parseArgs(ingestArgs, opts);
      if ((o.season === undefined) !== (o.episode === undefined)) throw new CliUsageError("--season and --episode go together");
      const abs = path.resolve(file);
      if (!existsSync(abs)) throw new CliUsageError(`no such file: ${file}`);
      const deps = await ctx.deps();
      const { jobId, version, probe } = await ingestMedia(
        deps,
        abs,
        { slug: o.title, season: o.season ?? null, episode: o.episode ?? null },
        { by: { actor: ctx.actor } },
      );
      const queued = { event: "queued", jobId, version, width: probe.width, height: probe.height, durationSec: probe.durationSec };
      if (o.json) ctx.output.out(JSON.stringify(queued));
      else ctx.output.err(`queued ${jobId}: ${probe.width}x${probe.height}, ${probe.durationSec.toFixed(1)} s`);
      if (!o.wait) return;

      const tty = Boolean((process.stderr as { isTTY?: boolean }).isTTY) && !o.json;
      const deadline = Date.now() + o.timeout * 1000;
      let last = -1;
      for (;;) {
        const job = await deps.media.queue.queue().getJob(jobId);
        const state = job ? await job.getState() : "missing";
        const pct = typeof job?.progress === "number" ? job.progress : 0;
        if (pct !== last || state === "completed" || state === "failed") {
          last = pct;
          if (o.json) ctx.output.out(JSON.stringify({ event: "progress", jobId, state, progress: pct }));
          else if (tty) process.stderr.write(`\r${bar(pct)} ${state.padEnd(10)}`);
        }
        if (state === "completed") {
          if (tty) process.stderr.write("\n");
          const result = { event: "completed", jobId, version, hlsUrl: deps.media.storage.url(`library/${o.title}/${version}/master.m3u8`) };
          if (o.json) ctx.output.out(JSON.stringify(result));
          else ctx.output.out(`done: ${result.hlsUrl}`);
          return;
        }
        if (state === "failed" || state === "missing") {
          if (tty) process.stderr.write("\n");
          throw new Error(`transcode ${jobId} ${state}: ${job?.failedReason ?? "the job is gone"}`);
        }
        if (Date.now() > deadline) throw new Error(`transcode ${jobId} still ${state} after ${o.timeout} s (is a worker running?)`);
        await new Promise((r) => setTimeout(r, 500));
      }
    });

  media
    .command("subtitles")
    .description("add (or replace) a subtitle track: SRT or WebVTT, stored as WebVTT")
    .argument("<file>", "the .srt or .vtt file")
    .requiredOption("--title <slug>", "the title's slug")
    .requiredOption("--lang <code>", "two-letter language code: en, vi, ...")
    .option("--season <n>", "season number (series)")
    .option("--episode <n>", "episode number (series)")
    .option("--json", "print JSON")
    .action(async (file: string, opts: unknown) => {
      const o = parseArgs(subtitleArgs, opts);
      const abs = path.resolve(file);
      if (!existsSync(abs)) throw new CliUsageError(`no such file: ${file}`);
      const deps = await ctx.deps();
      const track = await addSubtitle(deps, { slug: o.title, season: o.season ?? null, episode: o.episode ?? null }, o.lang, await readFile(abs), {
        actor: ctx.actor,
      });
      printResult(ctx.output, Boolean(o.json), track, () => `${track.label} (${track.lang}): ${track.url}`);
    });

  media
    .command("intro")
    .description("set the intro markers (Skip intro) of a film or an episode; --clear removes them")
    .requiredOption("--title <slug>", "the title's slug")
    .option("--season <n>", "season number (series)")
    .option("--episode <n>", "episode number (series)")
    .option("--start <seconds>", "where the intro starts")
    .option("--end <seconds>", "where the intro ends")
    .option("--clear", "remove the markers")
    .action(async (opts: unknown) => {
      const o = parseArgs(introArgs, opts);
      if (!o.clear && (o.start === undefined || o.end === undefined)) throw new CliUsageError("give --start and --end, or --clear");
      const deps = await ctx.deps();
      const intro = o.clear ? null : { startSec: o.start!, endSec: o.end! };
      await setIntroMarkers(deps, { slug: o.title, season: o.season ?? null, episode: o.episode ?? null }, intro, { actor: ctx.actor });
      ctx.output.out(intro ? `intro ${intro.startSec}-${intro.endSec} s` : "intro markers removed");
    });

  media
    .command("jobs")
    .description("the latest transcode jobs with their state and progress")
    .option("--title <slug>", "only this title's")
    .option("--limit <n>", "how many", "30")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const o = parseArgs(jobsArgs, opts);
      const deps = await ctx.deps();
      const rows = (await listMediaJobs(deps, { slug: o.title, limit: o.limit })).map((j) => ({
        ...j,
        target: j.season === null ? j.slug : `${j.slug} S${j.season}E${j.episode}`,
        progressPct: `${j.progress}%`,
      }));
      printResult(ctx.output, Boolean(o.json), rows, () =>
        formatTable(rows, ["id", "target", "originalName", "state", "progressPct", "attempts", "createdAt", "error"]),
      );
    });
}
