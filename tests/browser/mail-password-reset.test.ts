import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertUser } from "../support/billing.js";
import { launchBrowser, openPage, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
import { deliverMail, linkIn, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";

const NEW_PASSWORD = "a brand new secret 7";

let app: BrowserApp;
let browser: Browser;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  app = await startBrowserApp({ SMTP_URL: mail.smtpUrl, PUBLIC_URL: TEST_PUBLIC_URL });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await mail?.close();
});

describe("forgot password on a phone", () => {
  it("sign in -> forgot password -> mailed link -> new password -> sign in, at 390 px with no overflow, CSP violations or console errors", async () => {
    const user = await insertUser(app.ctx.deps);
    const { page, problems, screenshot } = await openPage(browser, VIEWPORTS.mobile);
    const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    await page.goto(`${app.baseUrl}/login`);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL("**/forgot-password");
    await page.getByLabel("Email address").fill(user.email);
    expect(await fitsWidth()).toBe(true);
    await screenshot("forgot-password-mobile");
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.waitForURL("**/login");
    expect(await page.getByRole("status").first().textContent()).toContain("we have sent it a link");

    await deliverMail(app.ctx.deps);
    const link = linkIn(mailsTo(mail, user.email).at(-1)!, "/reset-password");
    await page.goto(`${app.baseUrl}${link}`);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
    expect(await fitsWidth()).toBe(true);
    await screenshot("reset-password-mobile");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.waitForURL("**/login");

    await page.getByLabel("Email address").fill(user.email);
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    // Signed in: the sign-out button is there (inside the profile menu).
    expect(await page.locator("button", { hasText: "Sign out" }).count()).toBe(1);
    expect(await problems()).toEqual([]);
  });
});
