import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvePayment } from "../../src/services/billing/index.js";
import { insertUser, pendingPayment } from "../support/billing.js";
import {
  answerCodeStep,
  launchBrowser,
  signOutThroughMenu,
  openPage,
  signInThroughForm,
  startBrowserApp,
  VIEWPORTS,
  type BrowserApp,
} from "../support/browser.js";
import { GOOD_PASSWORD } from "../support/http.js";
import { totpCode } from "../support/two-factor.js";

let app: BrowserApp;
let browser: Browser;
beforeAll(async () => {
  app = await startBrowserApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`two-step sign-in and receipts at ${name} width`, () => {
    it("a subscriber turns two-step sign-in on from the account page, signs in with a code, and prints a receipt", async () => {
      const user = await insertUser(app.ctx.deps);
      const payment = await pendingPayment(app.ctx.deps, user.id);
      await approvePayment(app.ctx.deps, payment.id, { actor: "cli:test" });
      const { page, check, screenshot } = await openPage(browser, viewport);
      const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

      await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);
      await page.goto(`${app.baseUrl}/account`);
      await page.getByRole("link", { name: "Manage two-step sign-in" }).click();
      await page.waitForURL("**/account/two-factor");
      await check("two-factor status page");
      await page.getByLabel("Your password, to confirm it's you").fill(GOOD_PASSWORD);
      await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
      await page.getByTestId("totp-secret").waitFor();
      expect(await fitsWidth()).toBe(true);
      await check("two-factor setup page");
      await screenshot("two-factor-setup");
      await page.getByLabel("Code").fill(await totpCode(app.ctx.deps, user.id, "pendingSecret"));
      await page.getByRole("button", { name: "Check the code and turn on" }).click();
      await page.getByTestId("recovery-codes").waitFor();
      expect(await page.getByTestId("recovery-codes").locator("code").count()).toBe(10);
      await check("recovery codes page");
      await screenshot("two-factor-codes");

      await signOutThroughMenu(page);
      await page.goto(`${app.baseUrl}/login`);
      await page.getByLabel("Email address").fill(user.email);
      await page.getByLabel("Password").fill(GOOD_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL("**/login/two-factor");
      expect(await fitsWidth()).toBe(true);
      await check("code step");
      await screenshot("two-factor-code-step");
      await answerCodeStep(page, await totpCode(app.ctx.deps, user.id));

      await page.goto(`${app.baseUrl}/account`);
      expect(await page.getByTestId("account-two-factor").textContent()).toContain("On");
      expect(await fitsWidth()).toBe(true);
      await check("account page with email change and two-step sections");
      await screenshot("account-security");

      await page.goto(`${app.baseUrl}/account/billing`);
      await page.getByRole("link", { name: "Receipt" }).click();
      await page.waitForURL(`**/account/billing/receipts/${payment.id}`);
      expect(await page.getByRole("button", { name: "Print" }).isVisible()).toBe(true);
      expect(await fitsWidth()).toBe(true);
      await check("receipt page");
      await screenshot("receipt");
      // On paper only the receipt is left: no site header, footer or buttons.
      await page.emulateMedia({ media: "print" });
      expect(await page.locator(".site-header").isVisible()).toBe(false);
      expect(await page.getByRole("button", { name: "Print" }).isVisible()).toBe(false);
      expect(await page.getByTestId("receipt-number").isVisible()).toBe(true);
      await screenshot("receipt-print");
    });
  });
}
