// Announcing from the admin pages: the title form's release date and a draft's "Announce" form, at
// 1280 and 390; axe, CSP and console clean.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTitle } from "../../src/services/catalog/index.js";
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

let app: BrowserApp;
let browser: Browser;
let adminState: Awaited<ReturnType<typeof signInThroughForm>>;
beforeAll(async () => {
  app = await startBrowserApp();
  browser = await launchBrowser();
  const admin = await insertUser(app.ctx.deps, { role: "admin", displayName: "Ops Admin" });
  const first = await openPage(browser, VIEWPORTS.desktop);
  await signInThroughForm(first.page, app.baseUrl, admin.email, GOOD_PASSWORD);
  await enrolTwoFactorThroughPages(first.page, app.baseUrl, GOOD_PASSWORD);
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

describe.each(Object.entries(VIEWPORTS))("announcing at %s width", (name, viewport) => {
  it("announces a draft from its page with a date ahead, and refuses one in the past", async () => {
    const draft = await createTitle(app.ctx.deps, { kind: "movie", slug: `admin-soon-${name}-${Date.now()}`, title: `Admin Soon ${name}`, maturity: "PG" });
    const { page, check, screenshot } = await openPage(browser, viewport, adminState);
    await page.goto(`${app.baseUrl}/admin/catalog/${String(draft._id)}`);
    const form = page.getByTestId("announce-form");
    await form.getByLabel("Release date").fill("2001-01-01");
    await form.getByRole("button", { name: "Announce" }).click();
    await page.getByText("The release date must be in the future.").waitFor();
    await check("announce-refused");
    const day = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId("announce-form").getByLabel("Release date").fill(day);
    await page.getByTestId("announce-form").getByRole("button", { name: "Announce" }).click();
    await page.getByText("Title announced").waitFor();
    expect(await page.getByTestId("title-status").textContent()).toBe("Coming soon");
    await screenshot(`admin-announce-${name}`);
    await check("announced");
    expect((await app.ctx.deps.models.Title.findById(draft._id).lean())!.status).toBe("announced");
    await page.context().close();
  });
});
