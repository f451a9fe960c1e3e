import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProfile } from "../../src/services/accounts/profiles.js";
import { activeSubscriber } from "../support/billing.js";
import { launchBrowser, openPage, signInThroughForm, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
import { GOOD_PASSWORD } from "../support/http.js";
import { flushAllProgress, seedTitle, type SeededTitle } from "../support/watching.js";

let app: BrowserApp;
let browser: Browser;
let mediaDir: string;
let film: SeededTitle;

beforeAll(async () => {
  // A 40-second stream (the set-up one is a few seconds): long enough for two timed saves.
  mediaDir = mkdtempSync(path.join(os.tmpdir(), "netflix-media-"));
  execFileSync("bash", [path.resolve(import.meta.dirname, "../../scripts/make-media"), mediaDir], {
    env: { ...process.env, DEMO_MEDIA_SECONDS: "40" },
    stdio: "ignore",
  });
  app = await startBrowserApp({ MEDIA_DIR: mediaDir });
  film = await seedTitle(app.ctx.deps, { title: "Journey Film", popularity: 99999, genres: ["adventure"] });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
});

/** Resolves with the positions of the next `count` accepted progress saves. */
function progressSaves(page: Page, count: number): Promise<number[]> {
  const positions: number[] = [];
  return new Promise((resolve) => {
    page.on("response", async (res) => {
      if (!res.url().endsWith("/progress") || res.request().method() !== "POST" || res.status() !== 200) return;
      positions.push(Number(new URLSearchParams(res.request().postData() ?? "").get("position")));
      if (positions.length === count) resolve([...positions]);
    });
  });
}

const currentTime = (page: Page) => page.evaluate(() => document.querySelector<HTMLVideoElement>("video")?.currentTime ?? -1);

describe.each(Object.entries(VIEWPORTS))("watching journey at %s width", (name, viewport) => {
  it("picks a profile, lists a title, plays it, resumes after a reload and shows it in Continue Watching", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    await createProfile(app.ctx.deps, user.id, { name: `Journey ${name}`, avatar: "teal", kids: false, maxMaturity: null });
    await createProfile(app.ctx.deps, user.id, { name: "Kiddo", avatar: "yellow", kids: true, maxMaturity: "PG" });
    const { page, problems, screenshot, check } = await openPage(browser, viewport);

    // Sign in: an account with two profiles is asked who is watching.
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel("Email address").fill(user.email);
    await page.getByLabel("Password").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/profiles?next=*");
    await page.getByRole("heading", { name: "Who's watching?" }).waitFor();
    await screenshot(`watching-picker-${name}`);
    await check("watching-picker");
    await page.getByTestId(`profile-Journey ${name}`).click();
    await page.waitForURL("**/browse");

    // The title dialog over /browse, and My List swapped in place.
    await page.locator(`a.card__link[href="/title/${film.slug}"]`).first().click();
    const dialog = page.locator("#title-dialog");
    await dialog.getByRole("heading", { name: "Journey Film" }).waitFor();
    const listButton = dialog.locator(`#mylist-${film.id} button`);
    await listButton.click();
    await dialog.locator(`#mylist-${film.id} button[aria-pressed="true"]`).waitFor();
    await screenshot(`watching-dialog-${name}`);
    await check("watching-dialog");
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll("#title-dialog *")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).map((el) => el.className),
    );
    expect(overflowing).toEqual([]);
    const profileId = String((await app.ctx.deps.models.Profile.findOne({ userId: user.id, name: `Journey ${name}` }).lean())!._id);
    expect(await app.ctx.deps.models.ListEntry.countDocuments({ profileId, titleId: film.id })).toBe(1);

    // Play: two saves (the 10-second timer, then pause), from the player itself.
    await dialog.getByRole("link", { name: "Play" }).click();
    await page.waitForURL(`**/watch/${film.slug}`);
    await page.locator("video").waitFor();
    const saves = progressSaves(page, 2);
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>("video")?.readyState ?? 0) >= 2);
    if (await page.evaluate(() => (document.querySelector("video") as HTMLVideoElement).paused)) await page.locator(".vjs-big-play-button").click();
    await page.waitForFunction(() => (document.querySelector("video") as HTMLVideoElement).currentTime > 10.5, undefined, { timeout: 30_000 });
    await page.locator("body").press("k");
    const positions = await saves;
    expect(positions[0]).toBeGreaterThan(5);
    expect(positions[1]).toBeGreaterThanOrEqual(positions[0]!);
    await flushAllProgress(app.ctx.deps);
    const stored = await app.ctx.deps.models.WatchProgress.findOne({ profileId, titleId: film.id }).lean();
    expect(stored!.positionSec).toBeCloseTo(positions[1]!, 0);
    await screenshot(`watching-player-${name}`);
    await check("watching-player");

    // The player is the page: no site header, the video fills the window, the bar sits over it.
    expect(await page.locator(".site-header").count()).toBe(0);
    const video = (await page.locator(".watch__stage").boundingBox())!;
    expect(video.width).toBe(viewport.width);
    expect(video.height).toBe(viewport.height);

    // Reload: playback resumes a few seconds before the saved position, and the choice to start
    // over waits on the video itself.
    await page.reload();
    const resumeChoice = page.getByTestId("resume-note");
    await resumeChoice.waitFor();
    const choice = (await resumeChoice.boundingBox())!;
    expect(choice.y + choice.height).toBeLessThanOrEqual(viewport.height);
    expect(await resumeChoice.getByRole("button", { name: "Resume" }).isVisible()).toBe(true);
    expect(await resumeChoice.getByRole("link", { name: "Start over" }).isVisible()).toBe(true);
    await screenshot(`watching-resume-overlay-${name}`);
    await page.waitForFunction((saved) => Math.abs((document.querySelector("video") as HTMLVideoElement).currentTime - saved) < 5, stored!.positionSec, {
      timeout: 20_000,
    });
    expect(Math.abs((await currentTime(page)) - stored!.positionSec)).toBeLessThan(5);
    await check("watching-resumed");
    await resumeChoice.getByRole("button", { name: "Resume" }).click();
    await resumeChoice.waitFor({ state: "hidden" });

    // "?" lists the keyboard shortcuts over the player.
    await page.locator("body").press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    await check("watching-shortcuts");
    await help.getByRole("button", { name: "Close" }).click();
    await help.waitFor({ state: "hidden" });

    // Continue Watching shows the title with its progress bar.
    await page.getByRole("link", { name: "Back to browse" }).click();
    await page.waitForURL("**/browse");
    const row = page.locator("#row-continue-watching");
    await row.waitFor();
    const card = row.locator(`a.card__link[href="/watch/${film.slug}"]`);
    expect(await card.count()).toBe(1);
    const bar = Number(await card.locator("progress.card__progress").getAttribute("value"));
    expect(bar).toBeGreaterThan(0);
    await row.scrollIntoViewIfNeeded();
    await screenshot(`watching-continue-${name}`);
    await check("watching-continue");

    // The title's dialog (from My List) now says Resume, with the time left and a bar.
    await page.goto(`${app.baseUrl}/my-list`);
    await page.locator(`a.card__link[href="/title/${film.slug}"]`).first().click();
    const titleDialog = page.locator("#title-dialog");
    const play = titleDialog.getByTestId("play-button");
    await play.waitFor();
    expect((await play.textContent())!.trim()).toBe("Resume");
    const resumeLine = titleDialog.getByTestId("resume-line");
    expect(Number(await resumeLine.locator("progress").getAttribute("value"))).toBeGreaterThan(0);
    expect(await resumeLine.textContent()).toMatch(/left/);
    await screenshot(`watching-dialog-resume-${name}`);
    await check("watching-dialog-resume");

    expect(await problems()).toEqual([]);
  });
});

describe.each(Object.entries(VIEWPORTS))("keyboard-only journey at %s width", (name, viewport) => {
  it("goes from the skip link to a card, opens it, and starts playback without a pointer", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    const { page, check } = await openPage(browser, viewport);
    await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);
    await page.goto(`${app.baseUrl}/browse`);
    const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent?.trim() ?? "", id: document.activeElement?.id ?? "" }));
    /** Presses Tab until `matches` holds for the focused element; fails after `limit` presses. */
    const tabTo = async (selector: string, limit: number) => {
      for (let presses = 1; presses <= limit; presses++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return presses;
      }
      throw new Error(`no ${selector} within ${limit} Tab presses`);
    };

    // The first Tab reaches the skip link; Enter puts focus on the main content.
    await page.keyboard.press("Tab");
    expect((await focused()).text).toBe("Skip to content");
    await check("browse-skip-link");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused()).id).toBe("main");

    // From there the rows are reached in a few Tabs (one per row, not one per card).
    await tabTo(".row__items .card__link", 8);
    await page.keyboard.press("End");
    await page.keyboard.press("Home");
    expect(await page.evaluate(() => document.activeElement?.closest(".card") === document.activeElement?.closest(".row__items")?.firstElementChild)).toBe(
      true,
    );
    await page.keyboard.press("Enter");
    const dialog = page.locator("#title-dialog dialog");
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
    await check("keyboard-dialog");

    await tabTo(`dialog a[href^="/watch/"]`, 8);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/watch/**");
    // The player page loads only the scripts it runs: a deferred starter, which adds video.js
    // (core, quality levels, VHS) and the player's modules in order once the poster has painted.
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>("video")?.readyState ?? 0) >= 2);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ file: s.src.split("/").pop(), defer: s.defer, async: s.async })));
    // (Document order: the added scripts sit in the head, the starter at the end of the body.)
    expect(scripts).toEqual([
      ...[
        "video.core.novtt.min.js",
        "videojs-contrib-quality-levels.min.js",
        "videojs-http-streaming.min.js",
        "player.js",
        "player-orientation.js",
        "player-chrome.js",
        "media-player.js",
      ].map((file) => ({ file, defer: false, async: false })),
      { file: "player-boot.js", defer: true, async: false },
    ]);
    if (await page.evaluate(() => document.querySelector<HTMLVideoElement>("video")!.paused)) {
      await tabTo(".vjs-big-play-button, .vjs-play-control", 12);
      await page.keyboard.press("Enter");
    }
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>("video")!.currentTime > 1, undefined, { timeout: 20_000 });
    await check("keyboard-playing");
    await page.context().close();
  });
});
