// Landscape full screen on a phone: entering full screen asks the browser to lock the screen to
// landscape, leaving it unlocks; turning the phone to landscape while the video plays enters full
// screen. (The lock is recorded by wrapping screen.orientation.lock, as desktop Chromium refuses
// it.) A desktop pointer gets none of this. Axe, CSP and console clean.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeSubscriber } from "../support/billing.js";
import { launchBrowser, openPage, signInThroughForm, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
import { GOOD_PASSWORD } from "../support/http.js";
import { seedTitle, type SeededTitle } from "../support/watching.js";

let app: BrowserApp;
let browser: Browser;
let film: SeededTitle;
beforeAll(async () => {
  app = await startBrowserApp();
  film = await seedTitle(app.ctx.deps, { title: "Rotating Film" });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

type Recorded = { __orientation: string[] };

async function recordOrientation(page: Page) {
  await page.addInitScript(() => {
    const calls: string[] = [];
    (window as unknown as Recorded).__orientation = calls;
    const o = screen.orientation as ScreenOrientation & { lock: (type: string) => Promise<void> };
    o.lock = (type: string) => {
      calls.push(`lock:${type}`);
      return Promise.resolve();
    };
    o.unlock = () => {
      calls.push("unlock");
    };
  });
}

async function startPlaying(page: Page) {
  await page.goto(`${app.baseUrl}/watch/${film.slug}`);
  await page.locator("video").waitFor();
  await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>("video")?.readyState ?? 0) >= 2);
  if (await page.evaluate(() => document.querySelector<HTMLVideoElement>("video")!.paused)) await page.locator(".vjs-big-play-button").click();
  await page.waitForFunction(() => !document.querySelector<HTMLVideoElement>("video")!.paused);
}

const calls = (page: Page) => page.evaluate(() => [...(window as unknown as Recorded).__orientation]);

describe("the player on a phone", () => {
  it("locks landscape in full screen and enters full screen when turned to landscape, at 390", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    const { page, check } = await openPage(browser, VIEWPORTS.mobile, undefined, { hasTouch: true, isMobile: true });
    await recordOrientation(page);
    await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);
    await startPlaying(page);

    // Full screen from the keyboard shortcut (a user action, as a tap on the button is).
    await page.locator("body").press("f");
    await page.waitForFunction(() => Boolean(document.fullscreenElement));
    await expect.poll(() => calls(page)).toContain("lock:landscape");
    await page.locator("body").press("f");
    await page.waitForFunction(() => !document.fullscreenElement);
    await expect.poll(() => calls(page)).toContain("unlock");
    await check("player-phone");

    // Turned to landscape while playing: the player asks for full screen (the browser may refuse
    // without a tap; that refusal is silent).
    await page.evaluate(() => {
      const w = window as unknown as { videojs: { getPlayer(id: string): { requestFullscreen: () => unknown } }; __fullscreenAsked: number };
      const player = w.videojs.getPlayer("player");
      const original = player.requestFullscreen.bind(player);
      w.__fullscreenAsked = 0;
      player.requestFullscreen = () => {
        w.__fullscreenAsked += 1;
        return original();
      };
    });
    await page.setViewportSize({ width: 844, height: 390 });
    await expect.poll(() => page.evaluate(() => (window as unknown as { __fullscreenAsked: number }).__fullscreenAsked)).toBe(1);
    await check("player-phone-landscape");
    await page.context().close();
  });

  it("leaves the screen alone with a desktop pointer, at 1280", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    const { page, check } = await openPage(browser, VIEWPORTS.desktop);
    await recordOrientation(page);
    await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);
    await startPlaying(page);
    await page.locator("body").press("f");
    await page.waitForFunction(() => Boolean(document.fullscreenElement));
    await page.locator("body").press("f");
    await page.waitForFunction(() => !document.fullscreenElement);
    expect(await calls(page)).toEqual([]);
    await check("player-desktop");
    await page.context().close();
  });
});
