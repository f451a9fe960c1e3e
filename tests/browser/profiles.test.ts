import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProfile, setProfilePin } from "../../src/services/accounts/profiles.js";
import { activeSubscriber } from "../support/billing.js";
import { launchBrowser, openPage, signInThroughForm, startBrowserApp, VIEWPORTS, type BrowserApp } from "../support/browser.js";
import { GOOD_PASSWORD } from "../support/http.js";

let app: BrowserApp;
let browser: Browser;
beforeAll(async () => {
  app = await startBrowserApp();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe.each(Object.entries(VIEWPORTS))("profile PIN journey at %s width", (name, viewport) => {
  it("a wrong PIN swaps the form in place with its message, the right one enters, and five wrong ones lock the profile", async () => {
    const user = await activeSubscriber(app.ctx.deps);
    await createProfile(app.ctx.deps, user.id, { name: "Open", avatar: "teal", kids: false, maxMaturity: null });
    const locked = await createProfile(app.ctx.deps, user.id, { name: "Grown-up", avatar: "purple", kids: false, maxMaturity: null });
    await setProfilePin(app.ctx.deps, user.id, locked.id, "4321");
    const { page, check, screenshot } = await openPage(browser, viewport);
    await signInThroughForm(page, app.baseUrl, user.email, GOOD_PASSWORD);
    await page.getByRole("heading", { name: "Who's watching?" }).waitFor();
    await check("profile-picker");

    /** Types a PIN, submits it and resolves with the status of the answer. */
    const submit = async (pin: string) => {
      await page.getByLabel("4-digit PIN").fill(pin);
      const answer = page.waitForResponse((res) => res.url().endsWith(`/profiles/${locked.id}/select`) && res.request().method() === "POST");
      await page.getByRole("button", { name: "Enter", exact: true }).click();
      return (await answer).status();
    };

    await page.getByTestId("profile-Grown-up").click();
    await page.getByRole("heading", { name: "Enter the PIN for Grown-up" }).waitFor();
    await check("pin-entry");

    // Wrong: htmx swaps the 422 page in (it ignores 4xx unless told), with the message tied to the field.
    expect(await submit("0000")).toBe(422);
    await page.getByText("That PIN is not right.").waitFor();
    expect(await page.getByLabel("4-digit PIN").getAttribute("aria-invalid")).toBe("true");
    await screenshot(`pin-wrong-${name}`);
    await check("pin-wrong");

    expect(await submit("4321")).toBe(303);
    await page.waitForURL("**/browse");

    // Lockout: five wrong guesses, then even the right PIN is refused for a while.
    await page.goto(`${app.baseUrl}/profiles/${locked.id}/unlock`);
    for (let i = 0; i < 5; i++) expect(await submit("1111")).toBe(422);
    expect(await submit("4321")).toBe(429);
    await page.getByText("Too many wrong PINs. Try again in 15 minutes.").waitFor();
    await screenshot(`pin-locked-${name}`);
    await check("pin-locked");
    await page.context().close();
  });
});
