// The header's sections in a browser: New & Popular, Films and Series with the genre filter, the
// genre menu, the history with Hide and the CSV link; axe, CSP and console clean at 1280 and 390.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCatalog } from "../../src/services/catalog/seed.js";
import { progressRowId } from "../../src/services/watching/progress-rows.js";
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

describe.each(Object.entries(VIEWPORTS))("sections at %s width", (name, viewport) => {
  it("New & Popular, Films filtered by genre, Series, the genre menu and the history", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    const { page, check, screenshot } = await openPage(browser, viewport);
    await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);

    await page.goto(`${app.baseUrl}/new`);
    await page.locator("#row-top10-films .card").first().waitFor();
    expect(await page.locator("#row-top10-films .card__rank").count()).toBe(10);
    await screenshot(`sections-new-${name}`);
    await check("new-and-popular");

    // The section links: in the header on a desktop, in the bottom tab bar on a phone.
    const nav = viewport.width < 600 ? page.getByRole("navigation", { name: "Sections" }) : page.locator(".site-nav");
    await nav.getByRole("link", { name: "Films" }).click();
    await page.waitForURL("**/films");
    await page.getByLabel("Genres").selectOption("horror");
    await page.waitForURL("**/films?genre=horror");
    expect(await page.locator("#section-grid .card").count()).toBeGreaterThan(0);
    await screenshot(`sections-films-${name}`);
    await check("films-horror");

    await nav.getByRole("link", { name: "Series" }).click();
    await page.waitForURL("**/series");
    await check("series");

    if (viewport.width >= 600) {
      await page.locator(".nav-genres summary").click();
      await page.locator(".nav-genres").getByRole("link", { name: "Comedy" }).click();
      await page.waitForURL("**/genre/comedy");
      await check("genre-from-menu");
    }

    // History: played titles with Hide, and the activity download.
    const film = await app.ctx.deps.models.Title.findOne({ status: "published", kind: "movie" }).lean();
    const profile = await app.ctx.deps.models.Profile.findOne({ userId: user.id }).lean();
    // A row as the player's saves write it (its _id follows from profile, title and episode).
    await app.ctx.deps.models.WatchProgress.create({
      _id: progressRowId(String(profile!._id), String(film!._id), "main"),
      profileId: profile!._id,
      titleId: film!._id,
      episodeKey: "main",
      positionSec: 60,
      durationSec: 600,
      lastWatchedAt: new Date(),
      clientTs: Date.now(),
    });
    await page.goto(`${app.baseUrl}/history`);
    await page.getByTestId("history-csv").waitFor();
    await check("history");
    await page.getByTestId("history-hide").first().click();
    await expect.poll(() => page.getByTestId("history-hide").count()).toBe(0);
    await check("history-hidden");
    await page.context().close();
  });
});
