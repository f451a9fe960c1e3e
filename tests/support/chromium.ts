// Debian's Chromium and the flags every headless run here uses (browser tests and the Lighthouse audit).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

/**
 * A whole-page screenshot with every part painted (npm run screenshots). Rows far from the viewport skip painting
 * (`content-visibility: auto`), and a full-page shot paints past the viewport: those parts are
 * set visible through the CSSOM (which the pages' CSP allows) for the shot, and put back after,
 * so no style attribute is left for a later swap to copy (which the CSP would refuse).
 */
export async function wholePageScreenshot(page: import("playwright-core").Page, options: import("playwright-core").PageScreenshotOptions): Promise<void> {
  const marker = "data-shot-visible";
  await page.evaluate((attr) => {
    for (const el of document.querySelectorAll<HTMLElement>("body *"))
      if (getComputedStyle(el).contentVisibility === "auto") {
        el.style.contentVisibility = "visible";
        el.setAttribute(attr, "");
      }
  }, marker);
  try {
    await page.screenshot({ ...options, fullPage: true });
  } finally {
    await page.evaluate((attr) => {
      for (const el of document.querySelectorAll<HTMLElement>(`[${attr}]`)) {
        el.style.removeProperty("content-visibility");
        if (!el.getAttribute("style")) el.removeAttribute("style");
        el.removeAttribute(attr);
      }
    }, marker);
  }
}
