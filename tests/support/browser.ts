// Browser test harness: the real app on a free port, Debian's Chromium driven by playwright-core,
// and a page that records CSP violations, console errors and uncaught exceptions.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { generate } from "otplib";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { CHROMIUM, CHROMIUM_FLAGS } from "./chromium.js";
import { createTestContext, type TestContext } from "./context.js";

export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, mobile: { width: 390, height: 844 } } as const;
const SCREENSHOTS = path.resolve(import.meta.dirname, "../../test-results/screenshots");

export interface BrowserApp {
  ctx: TestContext;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startBrowserApp(env: Record<string, string> = {}): Promise<BrowserApp> {
  const ctx = await createTestContext(env);
  const server: Server = await new Promise((resolve) => {
    const s = ctx.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ctx,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await ctx.close();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
}

export interface WatchedPage {
  page: Page;
  /** CSP violations, console errors and page errors seen so far. */
  problems(): Promise<string[]>;
  screenshot(name: string): Promise<void>;
  /** axe on the page as it is now, then no CSP violation, console error or page error so far. */
  check(state: string): Promise<void>;
}

/** One line per axe violation: rule, impact, where, and the first few offending nodes. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? "?"}) at ${new URL(page.url()).pathname}: ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n")[1]?.trim() ?? ""}`)
        .join(" | ")}`,
  );
}

/**
 * Fails the test on any axe violation in the page's current state. Soft, so one run lists every
 * state that fails instead of stopping at the first.
 */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  expect.soft(await axeViolations(page), `axe on ${state} at ${page.viewportSize()?.width ?? "?"}px`).toEqual([]);
}

type StorageState = Awaited<ReturnType<import("playwright-core").BrowserContext["storageState"]>>;

/** Signs in through the form and returns the cookies, so other pages can start signed in. */
export async function signInThroughForm(page: Page, baseUrl: string, email: string, password: string): Promise<StorageState> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  return page.context().storageState();
}

/**
 * An admin's first visit: /admin sends it to set up two-step sign-in; the password, then a code
 * made with otplib from the key the page shows; the recovery codes are returned.
 */
export async function enrolTwoFactorThroughPages(page: Page, baseUrl: string, password: string): Promise<string[]> {
  await page.goto(`${baseUrl}/admin`);
  await page.waitForURL((url) => url.pathname === "/account/two-factor");
  await page.getByLabel("Your password, to confirm it's you").fill(password);
  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  const key = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("Code").fill(await generate({ secret: key }));
  await page.getByRole("button", { name: "Check the code and turn on" }).click();
  await page.getByTestId("recovery-codes").waitFor();
  return page.getByTestId("recovery-codes").locator("code").allTextContents();
}

/** Signs out as a person would: from the profile menu when a profile is chosen, else the header. */
export async function signOutThroughMenu(page: Page): Promise<void> {
  const menu = page.getByTestId("profile-menu");
  if ((await menu.count()) > 0) await menu.locator("summary").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/" || url.pathname === "/login");
}

/** The code step of a sign-in with two-step sign-in on. */
export async function answerCodeStep(page: Page, code: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === "/login/two-factor");
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number },
  storageState?: StorageState,
  // A phone's touch screen: { hasTouch: true, isMobile: true } (pointer: coarse, no hover).
  device: { hasTouch?: boolean; isMobile?: boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, locale: "en-US", storageState, ...device });
  const page = await context.newPage();
  const seen: string[] = [];
  page.on("console", (msg) => {
    // Chromium logs every 4xx as an error, but a 422 form or a 429 lockout is the app answering
    // as it should; failed assets and server errors are caught from the responses below.
    if (msg.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) {
      seen.push(`console: ${msg.text()}`);
    }
  });
  page.on("response", (res) => {
    const pageRequest = ["document", "xhr", "fetch"].includes(res.request().resourceType());
    if (res.status() >= 500 || (res.status() >= 400 && !pageRequest)) seen.push(`http ${res.status()}: ${res.url()}`);
  });
  page.on("pageerror", (err) => seen.push(`pageerror: ${err.message}`));
  // Reported through a binding as they happen, so a navigation right after a violation keeps it.
  await context.exposeFunction("__reportCsp", (line: string) => seen.push(`csp: ${line}`));
  await context.addInitScript(() => {
    const w = window as unknown as { __reportCsp: (line: string) => void };
    document.addEventListener("securitypolicyviolation", (e) => w.__reportCsp(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  const problems = async () => [...seen];
  return {
    page,
    problems,
    check: async (state) => {
      await expectNoAxeViolations(page, state);
      expect.soft(await problems(), `CSP violations and console errors by ${state}`).toEqual([]);
    },
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${viewport.width}.png`), fullPage: true, caret: "initial", animations: "allow" });
    },
  };
}
