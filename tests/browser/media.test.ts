// An operator uploads a film on the admin page (tus, with a progress bar), the worker transcodes
// it, and a subscriber plays it: captions menu with English and Tiếng Việt, a seek preview on
// hover over the progress bar. At 1280 and 390 px, with axe, CSP and console checks.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "bullmq";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSubtitle, startMediaWorker } from "../../src/services/catalog/index.js";
import { activeSubscriber, insertUser } from "../support/billing.js";
import { enrolTwoFactorThroughPages, launchBrowser, openPage, signInThroughForm, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
import { GOOD_PASSWORD } from "../support/http.js";
import { makeSource, mediaEnv } from "../support/media.js";
import { seedTitle } from "../support/watching.js";

let app: BrowserApp;
let browser: Browser;
let worker: Worker;
let source: string;

beforeAll(async () => {
  app = await startBrowserApp(mediaEnv());
  worker = startMediaWorker(app.ctx.deps);
  source = await makeSource(mkdtempSync(path.join(os.tmpdir(), "journey-src-")), { seconds: 8, width: 640, height: 360 });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await worker?.close();
  await app?.close();
});

describe.each(Object.entries(VIEWPORTS))("film upload journey at %s width", (name, viewport) => {
  it("uploads a film with a progress bar, and a subscriber plays it with captions and a seek preview", async () => {
    const film = await seedTitle(app.ctx.deps, { title: `Uploaded ${name}`, media: null });
    const admin = await insertUser(app.ctx.deps, { role: "admin", displayName: "Ops Admin" });
    const { page, check } = await openPage(browser, viewport);
    await signInThroughForm(page, app.baseUrl, admin.email, GOOD_PASSWORD);
    // Admin pages need two-step sign-in: set up through the pages, which keeps this session.
    await enrolTwoFactorThroughPages(page, app.baseUrl, GOOD_PASSWORD);
    await page.goto(`${app.baseUrl}/admin/catalog/${film.id}`);
    await page.locator("#media-file").setInputFiles(source);
    await page.getByTestId("media-upload-submit").click();
    await expect.poll(() => page.getByTestId("media-upload-status").textContent(), { timeout: 30_000 }).toMatch(/Transcoding is queued/);
    expect(await page.locator("#media-upload-progress").getAttribute("value")).toBe("100");
    // The jobs table refreshes itself (htmx) until the transcode is done.
    await page.locator('[data-testid="media-job"][data-state="completed"]').waitFor({ timeout: 90_000 });
    await check("admin-upload-done");
    await page.context().close();

    for (const [lang, text] of [
      ["en", "Hello there"],
      ["vi", "Xin chào"],
    ] as const) {
      await addSubtitle(app.ctx.deps, { slug: film.slug }, lang, `WEBVTT\n\n00:00:00.000 --> 00:00:08.000\n${text}\n`);
    }

    const user = await activeSubscriber(app.ctx.deps);
    const viewerPage = await openPage(browser, viewport);
    const p = viewerPage.page;
    await signInThroughForm(p, app.baseUrl, user.email, GOOD_PASSWORD);
    await p.goto(`${app.baseUrl}/watch/${film.slug}`);
    await p.waitForFunction(() => (document.querySelector<HTMLVideoElement>("video")?.readyState ?? 0) >= 2, undefined, { timeout: 30_000 });
    const labels = await p.evaluate(() => [...document.querySelector("video")!.textTracks].filter((t) => t.kind === "subtitles").map((t) => t.label));
    expect(labels.sort()).toEqual(["English", "Tiếng Việt"]);
    // video.js lists them in its captions menu.
    const menu = await p.locator(".vjs-subs-caps-button .vjs-menu-item-text").allTextContents();
    expect(menu.join(" | ")).toMatch(/English/);
    expect(menu.join(" | ")).toMatch(/Tiếng Việt/);

    // Hover over the progress bar: the storyboard tile for that time appears.
    // Once playback has started, a pointer over the player brings up the control bar.
    type Vjs = { videojs: { getPlayer(id: string): { muted(v: boolean): void; play(): Promise<void>; pause(): void; currentTime(): number } } };
    await p.evaluate(() => {
      const player = (window as unknown as Vjs).videojs.getPlayer("player");
      player.muted(true);
      return player.play();
    });
    await p.waitForFunction(() => (document.querySelector<HTMLVideoElement>("video")?.currentTime ?? 0) > 0.5, undefined, { timeout: 20_000 });
    await p.locator("#player").hover();
    const bar = p.locator(".vjs-progress-control");
    await bar.waitFor();
    const box = (await bar.boundingBox())!;
    await p.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await expect.poll(() => p.getByTestId("seek-preview").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await p.locator(".seek-preview__image").evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/storyboard\.jpg/);
    await viewerPage.check("player-with-captions");
    await p.context().close();
  });
});
