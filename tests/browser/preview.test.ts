// The hover preview card: on a desktop pointer, resting on a poster opens a bigger card with Play,
// My List and thumbs; keyboard focus opens it too, Tab reaches its buttons and Escape closes it.
// On a touch screen nothing appears. Axe, CSP and console clean.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCatalog } from "../../src/services/catalog/seed.js";
import { activeSubscriber } from "../support/billing.js";
import { launchBrowser, openPage, signInThroughForm, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
import { GOOD_PASSWORD } from "../support/http.js";

let app: BrowserApp;
let browser: Browser;
beforeAll(async () => {
  app = await startBrowserApp();
  await seedDemoCatalog(app.ctx.deps);
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("the preview card", () => {
  it("opens on hover after a short delay and on keyboard focus, with working buttons, at 1280", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    const { page, check, screenshot } = await openPage(browser, VIEWPORTS.desktop);
    await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);
    await page.goto(`${app.baseUrl}/browse`);
    const preview = page.locator("#row-trending .preview");
    const card = page.locator("#row-trending .card").nth(1);
    await card.locator(".card__poster").hover();
    // Not at once: a pointer passing over a row opens nothing.
    expect(await preview.isVisible()).toBe(false);
    await preview.getByTestId("title-preview").waitFor();
    const name = (await card.locator(".card__title").textContent())!.trim();
    expect(await preview.locator(".preview__name").textContent()).toBe(name);
    await expect.poll(() => preview.getByTestId("preview-play").getAttribute("href")).toMatch(/^\/watch\//);
    await screenshot("preview-hover");
    await check("preview-open");

    // My List from the preview.
    const listButton = preview.getByTestId("mylist-button");
    await listButton.click();
    await expect.poll(() => preview.getByTestId("mylist-button").getAttribute("aria-pressed")).toBe("true");

    // Moving on to another card (clear of the box) moves the preview there.
    const other = page.locator("#row-trending .card").nth(3);
    const box = (await other.locator(".card__poster").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
    const otherName = (await other.locator(".card__title").textContent())!.trim();
    await expect.poll(() => preview.locator(".preview__name").textContent()).toBe(otherName);

    // Leaving it closes it.
    await page.mouse.move(5, 5);
    await expect.poll(() => preview.isVisible()).toBe(false);

    // Keyboard: the focused card opens it, Tab goes into it, Escape closes it and returns to the card.
    await page.keyboard.press("Shift");
    const link = page.locator("#row-trending .card").first().locator(".card__link");
    await link.focus();
    await preview.getByTestId("title-preview").waitFor();
    let inPreview = false;
    for (let i = 0; i < 4 && !inPreview; i++) {
      await page.keyboard.press("Tab");
      inPreview = await page.evaluate(() => Boolean(document.activeElement?.closest(".preview")));
    }
    expect(inPreview).toBe(true);
    await check("preview-keyboard");
    await page.keyboard.press("Escape");
    await expect.poll(() => preview.isVisible()).toBe(false);
    // Focus back on the card does not open it again.
    await page.waitForTimeout(700);
    expect(await preview.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("card__link"))).toBe(true);
    await page.context().close();
  });

  it("does nothing on a touch screen at 390", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    const { page, check } = await openPage(browser, VIEWPORTS.mobile);
    const touch = await browser.newContext({ viewport: VIEWPORTS.mobile, hasTouch: true, isMobile: true, locale: "en-US" });
    await page.context().close();
    const phone = await touch.newPage();
    await signInThroughForm(phone, app.baseUrl, user.email, GOOD_PASSWORD);
    await phone.goto(`${app.baseUrl}/browse`);
    await phone.locator("#row-trending .card").first().waitFor();
    await phone.locator("#row-trending .card .card__poster").first().hover();
    await phone.waitForTimeout(900);
    expect(await phone.locator(".preview:not([hidden])").count()).toBe(0);
    expect(await phone.locator("[data-testid=title-preview]").count()).toBe(0);
    void check;
    await touch.close();
  });
});
