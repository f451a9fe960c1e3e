// Subtitles: SRT or WebVTT per language (admin page and CLI), stored as WebVTT, offered to the
// player as text tracks; the profile's last choice is remembered.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { languageLabel, toWebVtt } from "../../src/services/catalog/index.js";
import { adminAgent } from "../support/billing.js";
import { runCliInProcess } from "../support/cli.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom } from "../support/http.js";
import { mediaEnv } from "../support/media.js";
import { seedSeries, seedTitle, viewer } from "../support/watching.js";

const SRT = "\uFEFF1\r\n00:00:01,000 --> 00:00:03,500\r\nXin chào\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,000\r\nTạm biệt\r\n";
const VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\nHello\n";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext(mediaEnv());
});
afterAll(async () => {
  await ctx?.close();
});

function attr(html: string, name: string): string {
  const m = new RegExp(`${name}="([^"]*)"`).exec(html);
  return (m?.[1] ?? "")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("subtitles", () => {
  it("turns SRT into WebVTT and refuses what is neither", () => {
    expect(toWebVtt(SRT)).toBe("WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.500\nXin chào\n\n2\n00:00:04.000 --> 00:00:06.000\nTạm biệt\n");
    expect(toWebVtt(VTT)).toBe(VTT);
    expect(() => toWebVtt("just some words")).toThrow();
    expect(languageLabel("vi")).toBe("Tiếng Việt");
    expect(languageLabel("en")).toBe("English");
  });

  it("are added by the CLI and the admin page, offered on the watch page, and the choice is remembered", async () => {
    const film = await seedTitle(ctx.deps, { title: "Subtitled Film" });
    const dir = mkdtempSync(path.join(os.tmpdir(), "subs-"));
    writeFileSync(path.join(dir, "vi.srt"), SRT);
    const cli = await runCliInProcess(ctx.deps, ["media", "subtitles", path.join(dir, "vi.srt"), "--title", film.slug, "--lang", "vi", "--json"]);
    expect(cli.code).toBe(0);
    const vi = JSON.parse(cli.stdout) as { url: string; label: string };
    expect(vi.label).toBe("Tiếng Việt");
    expect(readFileSync(path.join(ctx.deps.media.root, vi.url.replace(/^\/media\//, "")), "utf8")).toMatch(/^WEBVTT\n\n1\n00:00:01\.000 --> /);

    const { agent: admin } = await adminAgent(ctx.app, ctx.deps);
    const token = csrfFrom((await admin.get("/admin/media")).text);
    const en = await admin.post(`/admin/media/subtitles?slug=${film.slug}&lang=en`).set({ "x-csrf-token": token, "Content-Type": "text/plain" }).send(VTT);
    expect(en.status).toBe(200);
    const bad = await admin
      .post(`/admin/media/subtitles?slug=${film.slug}&lang=en`)
      .set({ "x-csrf-token": token, "Content-Type": "text/plain", Accept: "application/json" })
      .send("nothing timed here");
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatch(/SRT or WebVTT/);

    const v = await viewer(ctx.app, ctx.deps);
    const page = await v.agent.get(`/watch/${film.slug}`);
    expect(page.status).toBe(200);
    const tracks = JSON.parse(attr(page.text, "data-subtitles")) as { lang: string; label: string; url: string }[];
    expect(tracks.map((t) => [t.lang, t.label])).toEqual([
      ["en", "English"],
      ["vi", "Tiếng Việt"],
    ]);
    expect(attr(page.text, "data-subtitle-lang")).toBe("");
    expect((await v.agent.get(tracks[1]!.url)).text).toContain("Xin chào");

    expect((await v.agent.post("/watch/subtitles").type("form").send({ _csrf: v.token, lang: "vi" })).status).toBe(204);
    expect(attr((await v.agent.get(`/watch/${film.slug}`)).text, "data-subtitle-lang")).toBe("vi");
    expect((await v.agent.post("/watch/subtitles").type("form").send({ _csrf: v.token, lang: "klingon" })).status).toBe(422);
  });

  it("belong to one episode of a series", async () => {
    const series = await seedSeries(ctx.deps, { title: "Subtitled Serial" });
    const dir = mkdtempSync(path.join(os.tmpdir(), "subs-"));
    writeFileSync(path.join(dir, "en.vtt"), VTT);
    expect((await runCliInProcess(ctx.deps, ["media", "subtitles", path.join(dir, "en.vtt"), "--title", series.slug, "--lang", "en"])).code).not.toBe(0);
    expect(
      (
        await runCliInProcess(ctx.deps, [
          "media",
          "subtitles",
          path.join(dir, "en.vtt"),
          "--title",
          series.slug,
          "--lang",
          "en",
          "--season",
          "1",
          "--episode",
          "2",
        ])
      ).code,
    ).toBe(0);
    const v = await viewer(ctx.app, ctx.deps);
    expect(attr((await v.agent.get(`/watch/${series.slug}/s/1/e/2`)).text, "data-subtitles")).toContain('"lang":"en"');
    expect(attr((await v.agent.get(`/watch/${series.slug}/s/1/e/1`)).text, "data-subtitles")).toBe("[]");
  });
});

describe("demo catalog streams", () => {
  it("points a demo title with a stream of its own (made at set-up) at it, with English and Vietnamese subtitles", async () => {
    const { seedDemoCatalog } = await import("../../src/services/catalog/index.js");
    const { demoTitles } = await import("../../src/services/catalog/demo/index.js");
    const [film] = demoTitles();
    const serial = demoTitles().find((t) => t.kind === "series")!;
    for (const slug of [film!.slug, serial.slug]) {
      const dir = path.join(ctx.deps.media.root, "titles", slug);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "master.m3u8"), "#EXTM3U\n");
    }
    await seedDemoCatalog(ctx.deps);
    const own = await ctx.deps.models.Title.findOne({ slug: film!.slug }).lean();
    expect(own!.media).toEqual({ hlsUrl: `/media/titles/${film!.slug}/master.m3u8`, thumbnailsUrl: `/media/titles/${film!.slug}/thumbnails.vtt` });
    expect(own!.subtitles.map((s) => `${s.episodeKey}:${s.lang}`)).toEqual(["main:en", "main:vi"]);
    const series = await ctx.deps.models.Title.findOne({ slug: serial.slug }).lean();
    expect(series!.seasons[0]!.episodes[0]!.hlsUrl).toBe(`/media/titles/${serial.slug}/master.m3u8`);
    expect(series!.subtitles).toContainEqual({ episodeKey: "s1e1", lang: "vi", url: `/media/titles/${serial.slug}/subs/vi.vtt` });
    const other = await ctx.deps.models.Title.findOne({ slug: demoTitles()[1]!.slug }).lean();
    expect(other!.media!.hlsUrl).toBe("/media/demo/master.m3u8");
    expect(other!.subtitles ?? []).toEqual([]);
  });
});

describe("skip intro", () => {
  it("takes intro markers from the admin page and the CLI, and offers Skip intro on the watch page", async () => {
    const { updateTitle } = await import("../../src/services/catalog/index.js");
    const film = await seedTitle(ctx.deps, { title: "Intro Film" });
    const { agent: admin } = await adminAgent(ctx.app, ctx.deps);
    const token = csrfFrom((await admin.get("/admin/media")).text);
    const saved = await admin.post("/admin/media/intro").type("form").send({ _csrf: token, slug: film.slug, start: "2", end: "31.5" });
    expect(saved.status).toBe(303);
    const bad = await admin.post("/admin/media/intro").type("form").send({ _csrf: token, slug: film.slug, start: "40", end: "10" });
    expect(bad.status).toBe(422);
    const v = await viewer(ctx.app, ctx.deps);
    const page = (await v.agent.get(`/watch/${film.slug}`)).text;
    expect(attr(page, "data-intro-start")).toBe("2");
    expect(attr(page, "data-intro-end")).toBe("31.5");
    expect(page).toContain('id="skip-intro"');

    const series = await seedSeries(ctx.deps, { title: "Intro Serial" });
    const cli = await runCliInProcess(ctx.deps, ["media", "intro", "--title", series.slug, "--season", "1", "--episode", "1", "--start", "0", "--end", "20"]);
    expect(cli.code).toBe(0);
    // Editing the title keeps the episode's markers.
    await updateTitle(ctx.deps, series.id, { overview: "Edited" });
    expect(attr((await v.agent.get(`/watch/${series.slug}/s/1/e/1`)).text, "data-intro-end")).toBe("20");
    const second = (await v.agent.get(`/watch/${series.slug}/s/1/e/2`)).text;
    expect(attr(second, "data-intro-end")).toBe("");
    expect(second).not.toContain('id="skip-intro"');
  });
});
