import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
import { GOOD_PASSWORD, uniqueEmail } from "../support/http.js";

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

describe.each(Object.entries(VIEWPORTS))("account journey at %s width", (name, viewport) => {
  it("register -> sign in lands on the plans -> sign out -> sign in -> switch language -> choose a plan -> the banner leads back to the payment", async () => {
    const { page, problems, screenshot, check } = await openPage(browser, viewport);
    const email = uniqueEmail(name);

    await page.goto(`${app.baseUrl}/`);
    expect(await page.locator("h1").count()).toBe(1);
    await screenshot(`landing-${name}`);
    await check("landing");
    await page.getByRole("link", { name: "Get started" }).click();
    await page.waitForURL("**/register");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Your name").fill("Browser Person");
    await page.getByLabel("Password").fill(GOOD_PASSWORD);
    await screenshot(`register-${name}`);
    await check("register");
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL("**/login");
    expect(await page.getByLabel("Email address").inputValue()).toBe(email);
    await page.getByLabel("Password").fill(GOOD_PASSWORD);
    await screenshot(`login-${name}`);
    await check("login");
    await page.getByRole("button", { name: "Sign in" }).click();
    // A new account has no plan: sign-in leads straight to choosing one.
    await page.waitForURL("**/plans");
    await screenshot(`signed-in-${name}`);
    await check("signed-in");
    const menu = page.getByTestId("profile-menu");
    // The header is one line at every width.
    const header = await page.locator(".site-header").boundingBox();
    expect(header!.height).toBeLessThanOrEqual(72);
    // Phones: logo, search, bell and avatar on that line, the sections in a bottom tab bar.
    const tabBar = page.getByRole("navigation", { name: "Sections" });
    if (viewport.width < 600) {
      expect(await page.locator(".site-nav").isVisible()).toBe(false);
      const bar = (await tabBar.boundingBox())!;
      expect(bar.y + bar.height).toBeCloseTo(viewport.height, 0);
      expect(await tabBar.getByRole("link").count()).toBe(5);
      for (const el of [".brand", ".icon-link", ".bell", ".profile-menu__button"]) {
        const box = (await page.locator(`.site-header ${el}`).first().boundingBox())!;
        expect(box.y + box.height, el).toBeLessThanOrEqual(header!.height);
      }
    } else {
      expect(await tabBar.isVisible()).toBe(false);
      expect(await page.locator(".site-nav").getByRole("link", { name: "New & Popular" }).isVisible()).toBe(true);
    }

    // Sign out lives in the profile menu.
    await menu.locator("summary").click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${app.baseUrl}/`);
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    await check("signed-out");

    await page.getByRole("link", { name: "Sign in" }).first().click();
    await page.waitForURL("**/login");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    expect(await page.locator("button", { hasText: "Sign out" }).count()).toBe(1);

    // On a phone the language chips are in the profile menu; on a desktop in the header.
    if (!(await page.getByRole("button", { name: "VI" }).isVisible())) await menu.locator("summary").click();
    await page.getByRole("button", { name: "VI" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "vi");
    expect(await page.locator("button", { hasText: "Đăng xuất" }).count()).toBe(1);
    await screenshot(`vietnamese-${name}`);
    await check("vietnamese");

    // Choose a plan: the checkout shows the transfer; the banner on /browse leads back to it.
    await page.goto(`${app.baseUrl}/plans`);
    await page.locator(".plan-card form button").first().click();
    await page.waitForURL("**/checkout/*");
    await page.getByTestId("payment-qr").waitFor();
    const checkoutUrl = page.url();
    await check("checkout");
    await page.goto(`${app.baseUrl}/browse`);
    const banner = page.getByTestId("plan-banner");
    await banner.waitFor();
    await screenshot(`plan-banner-${name}`);
    await check("plan-banner");
    await banner.getByRole("link").click();
    await page.waitForURL(checkoutUrl);

    expect(await problems()).toEqual([]);
  });
});
