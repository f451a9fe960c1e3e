// Coming soon in a browser: New & Popular -> Remind me -> release day (the date moves into the past
// and the release job runs) -> the notification in the bell; axe, CSP and console clean at 1280 and 390.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findJob } from "../../src/jobs/schedule.js";
import { announceTitle, createTitle } from "../../src/services/catalog/index.js";
import { seedDemoCatalog } from "../../src/services/catalog/seed.js";
import { dispatchOutbox, defaultConsumers } from "../../src/services/notifications/index.js";
import { runJob } from "../../src/services/ops/jobs.js";
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

describe.each(Object.entries(VIEWPORTS))("Coming soon at %s width", (name, viewport) => {
  it("Remind me on New & Popular, then the release-day notification in the bell", async () => {
    const deps = app.ctx.deps;
    const doc = await createTitle(deps, {
      kind: "movie",
      slug: `premiere-${name}-${Date.now()}`,
      title: `Premiere ${name}`,
      maturity: "PG",
      genres: ["drama"],
    });
    const titleId = String(doc._id);
    await announceTitle(deps, titleId, new Date(Date.now() + 2 * 86_400_000));
    const user = await activeSubscriber(deps);
    const { page, check, screenshot } = await openPage(browser, viewport);
    await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);

    await page.goto(`${app.baseUrl}/new`);
    const item = page.locator(`#remind-${titleId}`);
    await item.scrollIntoViewIfNeeded();
    // The demo catalog's own announcements are listed too, so the row is never empty after seeding.
    expect(await page.getByTestId("coming-soon-item").count()).toBeGreaterThanOrEqual(3);
    await check("coming-soon");
    await item.getByRole("button").click();
    await expect.poll(() => page.locator(`#remind-${titleId} button`).getAttribute("aria-pressed")).toBe("true");
    await screenshot(`coming-soon-${name}`);
    await check("reminded");

    // Play before the day: the page says when it comes out.
    await page.goto(`${app.baseUrl}/watch/${doc.slug}`);
    await page.getByRole("heading", { name: `Premiere ${name} is not out yet` }).waitFor();
    await screenshot(`coming-soon-watch-${name}`);
    await check("not-out-yet");

    // Release day: the date is moved into the past and the job runs, as the worker would.
    await deps.models.Title.updateOne({ _id: titleId }, { $set: { releaseAt: new Date(Date.now() - 60_000) } });
    const run = await runJob(deps, findJob("release-titles")!, { fireTime: new Date(), trigger: "manual" });
    expect(run.status).toBe("succeeded");
    await dispatchOutbox(deps, defaultConsumers());

    await page.goto(`${app.baseUrl}/browse`);
    const bell = page.getByTestId("notification-bell");
    if (await bell.isVisible()) {
      await expect.poll(() => page.getByTestId("unread-count").textContent()).toBe("1");
      await bell.click();
      await page.waitForURL("**/notifications");
    } else {
      // A phone's compact header keeps the bell in the account menu: the page it opens.
      await page.goto(`${app.baseUrl}/notifications`);
    }
    await page.getByText(`Now on Nextflix: Premiere ${name}`).waitFor();
    await screenshot(`coming-soon-notified-${name}`);
    await check("notified");
    await page.context().close();
  });
});
