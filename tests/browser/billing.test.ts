import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertUser } from "../support/billing.js";
import {
  answerCodeStep,
  enrolTwoFactorThroughPages,
  launchBrowser,
  openPage,
  signInThroughForm,
  startBrowserApp,
  VIEWPORTS,
  type BrowserApp,
} from "../support/browser.js";
import { GOOD_PASSWORD } from "../support/http.js";
import { totpCode } from "../support/two-factor.js";
import { seedTitle } from "../support/watching.js";

let app: BrowserApp;
let browser: Browser;
let adminState: Awaited<ReturnType<typeof signInThroughForm>>;
let adminUserId: string;

beforeAll(async () => {
  app = await startBrowserApp();
  // A few titles with long names, so the admin catalog table has something to overflow with.
  for (let i = 0; i < 3; i++) await seedTitle(app.ctx.deps, { title: `A Rather Long Operator Table Title Number ${i}`, genres: ["drama"] });
  browser = await launchBrowser();
  const admin = await insertUser(app.ctx.deps, { role: "admin", displayName: "Ops Admin" });
  adminUserId = admin.id;
  // Admins must use two-step sign-in: enrol through the pages, then sign in again with a code
  // made with otplib from the stored key.
  const first = await openPage(browser, VIEWPORTS.desktop);
  await signInThroughForm(first.page, app.baseUrl, admin.email, GOOD_PASSWORD);
  expect(await enrolTwoFactorThroughPages(first.page, app.baseUrl, GOOD_PASSWORD)).toHaveLength(10);
  await first.page.context().close();
  const { page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel("Email address").fill(admin.email);
  await page.getByLabel("Password").fill(GOOD_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await answerCodeStep(page, await totpCode(app.ctx.deps, admin.id));
  adminState = await page.context().storageState();
  await page.context().close();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The outermost elements that stick out past the right edge of the window (none on a page that fits). */
const overflowing = (page: import("playwright-core").Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => {
        // Inside a region that scrolls sideways is fine: that region is what keeps the page narrow.
        for (let up = el.parentElement; up; up = up.parentElement) if (getComputedStyle(up).overflowX !== "visible") return false;
        return true;
      })
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );

describe.each(Object.entries(VIEWPORTS))("billing journey at %s width", (name, viewport) => {
  it("a subscriber pays by transfer QR, an operator approves it in the queue, and the subscriber's checkout page turns active", async () => {
    const payer = await insertUser(app.ctx.deps, { displayName: `Payer ${name}` });
    const subscriber = await openPage(browser, viewport);
    await signInThroughForm(subscriber.page, app.baseUrl, payer.email, GOOD_PASSWORD);

    await subscriber.page.goto(`${app.baseUrl}/plans`);
    await subscriber.check("plans");
    await subscriber.page.getByRole("button", { name: "Choose Standard" }).click();
    await subscriber.page.waitForURL("**/checkout/*");
    await subscriber.page.getByTestId("payment-qr").waitFor();
    const reference = (await subscriber.page.getByTestId("payment-reference").textContent())!.trim();
    await subscriber.screenshot(`billing-checkout-${name}`);
    await subscriber.check("checkout-qr");

    const operator = await openPage(browser, viewport, adminState);
    await operator.page.goto(`${app.baseUrl}/admin/payments`);
    const row = operator.page.locator("tr.payment-row", { hasText: reference });
    await operator.check("admin-payments-open");
    await row.getByRole("button", { name: "Approve" }).click();
    await row.getByTestId("row-status").filter({ hasText: "Approved" }).waitFor();
    await operator.screenshot(`billing-admin-approved-${name}`);
    await operator.check("admin-payment-approved");

    // The waiting checkout page refreshes itself: no reload by the subscriber.
    await subscriber.page.getByTestId("payment-status").filter({ hasText: "Approved" }).waitFor({ timeout: 20_000 });
    await subscriber.page.getByRole("link", { name: "Start watching" }).waitFor();
    await subscriber.check("checkout-approved");
    const user = await app.ctx.deps.models.User.findById(payer.id).lean();
    expect(user!.subscription?.status).toBe("active");

    await subscriber.page.goto(`${app.baseUrl}/account/billing`);
    expect(await subscriber.page.locator("h1").count()).toBe(1);
    await subscriber.check("account-billing");
    await subscriber.page.context().close();
    await operator.page.context().close();
  });

  it("every admin page passes axe, and its tables scroll inside a focusable region instead of the page", async () => {
    const operator = await openPage(browser, viewport, adminState);
    for (const path of [
      "/admin",
      "/admin/users",
      `/admin/users/${adminUserId}`,
      "/admin/payments?status=all",
      "/admin/catalog",
      "/admin/jobs",
      "/admin/audit",
    ]) {
      await operator.page.goto(`${app.baseUrl}${path}`);
      await operator.check(path);
      expect.soft(await overflowing(operator.page), `what sticks out of ${path}`).toEqual([]);
      expect.soft(await operator.page.evaluate(() => document.documentElement.scrollWidth), `page width of ${path}`).toBeLessThanOrEqual(viewport.width);
      for (const wrap of await operator.page.locator(".table-wrap").all()) {
        expect.soft(await wrap.getAttribute("tabindex"), `table region on ${path}`).toBe("0");
      }
    }
    await operator.screenshot(`admin-audit-${name}`);
    await operator.page.context().close();
  });
});
