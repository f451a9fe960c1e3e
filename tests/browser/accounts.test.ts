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
  it("register -> sign out -> sign in -> switch language, with no CSP violations or console errors", async () => {
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
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await screenshot(`signed-in-${name}`);
    await check("signed-in");

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
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(1);

    await page.getByRole("button", { name: "VI" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "vi");
    expect(await page.getByRole("button", { name: "Đăng xuất" }).count()).toBe(1);
    await screenshot(`vietnamese-${name}`);
    await check("vietnamese");

    expect(await problems()).toEqual([]);
  });
});
