import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCatalog } from "../../src/services/catalog/seed.js";
import { activeSubscriber } from "../support/billing.js";
import { launchBrowser, openPage, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
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

const pageWidth = (page: import("playwright-core").Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe.each(Object.entries(VIEWPORTS))("catalog journey at %s width", (name, viewport) => {
  it("browses rows, opens a title in a dialog, picks a season, searches as it types and scrolls a genre", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    const { page, problems, screenshot, check } = await openPage(browser, viewport);
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel("Email address").fill(user.email);
    await page.getByLabel("Password").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/browse");

    // Home: hero and rows; later genre rows load when scrolled to.
    await page.locator(".browse-hero").waitFor();
    expect(await page.locator("#row-top10 .card__rank").count()).toBe(10);
    await screenshot(`catalog-browse-${name}`);
    await check("catalog-browse");
    await page.locator("#row-genre-thriller").scrollIntoViewIfNeeded();
    await page.locator("#row-genre-thriller .card").first().waitFor();
    // Rows scroll inside themselves; the page never scrolls sideways.
    expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);

    // Keyboard: each row is one Tab stop; arrow keys, Home and End move between its cards.
    const trendingLinks = page.locator("#row-trending .card__link");
    const tabbableLinks = () =>
      page.locator("#row-trending").evaluate((row) => [...row.querySelectorAll<HTMLElement>(".card__link")].filter((a) => a.tabIndex === 0).length);
    const focusedIndex = () => page.evaluate(() => [...document.querySelectorAll("#row-trending .card__link")].indexOf(document.activeElement as Element));
    expect(await tabbableLinks()).toBe(1);
    await trendingLinks.first().focus();
    await page.keyboard.press("ArrowRight");
    expect(await focusedIndex()).toBe(1);
    await page.keyboard.press("End");
    expect(await focusedIndex()).toBe((await trendingLinks.count()) - 1);
    await page.keyboard.press("Home");
    expect(await focusedIndex()).toBe(0);
    expect(await tabbableLinks()).toBe(1);

    // A card opens the title as a modal dialog; Escape closes it.
    await page.locator("#row-trending .card__link").first().scrollIntoViewIfNeeded();
    await page.locator("#row-trending .card__link").first().click();
    const dialog = page.locator("dialog.title-dialog");
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.matches(":modal"))).toBe(true);
    await screenshot(`catalog-dialog-${name}`);
    await check("catalog-dialog");
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);

    // The full page of a series: the season picker swaps the episodes in place.
    await page.goto(`${app.baseUrl}/title/flash-gordon-1936`);
    await page.locator("#season-select").selectOption("3");
    await page.locator("#episodes", { hasText: "The Purple Death" }).waitFor();
    expect(page.url()).toBe(`${app.baseUrl}/title/flash-gordon-1936`);
    await check("title-page");
    expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);

    // Active search: results while typing, the URL follows, Back from a title returns to them.
    await page.goto(`${app.baseUrl}/search`);
    await page.locator("#search-q").fill("nosf");
    await page.locator("#search-results .card", { hasText: "Nosferatu" }).waitFor();
    await expect.poll(() => page.url()).toContain("q=nosf");
    await page.locator("#search-q").fill("zzzz");
    await page.locator("#search-results", { hasText: "No results" }).waitFor();
    await check("search-empty");
    await page.locator("#search-q").fill("dem 13");
    await page.locator("#search-results .card", { hasText: "Dementia 13" }).waitFor();
    await screenshot(`catalog-search-${name}`);
    await check("catalog-search");
    expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);

    // Genre page: the first page holds 24 titles; the rest load when the end of the grid is reached.
    const comedies = await app.ctx.deps.models.Title.countDocuments({ genres: "comedy", status: "published" });
    expect(comedies).toBeGreaterThan(24);
    await page.goto(`${app.baseUrl}/genre/comedy`);
    const cards = page.locator("#genre-grid .card");
    await expect
      .poll(
        async () => {
          await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
          return cards.count();
        },
        { timeout: 20_000 },
      )
      .toBe(comedies);
    await check("genre-scrolled");

    expect(await problems()).toEqual([]);
  });
});
