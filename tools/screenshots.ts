// `npm run screenshots [-- out-dir] [-- --only name,name]`: the app with the demo catalog on its own
// FerretDB and Redis, a subscriber part-way through a film and a series, an account without a
// plan, a pending payment and an admin, then every main page at 1280x900 and 390x844 as PNGs
// (default out-dir: test-results/pages). docs/screenshots/ holds the ones the README shows.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { closeDeps, createDeps } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { seedDemoCatalog } from "../src/services/catalog/seed.js";
import { progressRowId } from "../src/services/watching/progress-rows.js";
import { CHROMIUM, CHROMIUM_FLAGS, wholePageScreenshot } from "../tests/support/chromium.js";
import { startFerretDb, startRedis } from "./local-services.js";

const args = process.argv.slice(2);
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1]!.split(",")) : null;
const outDir = path.resolve(args.find((a, i) => !a.startsWith("--") && (onlyAt < 0 || i !== onlyAt + 1)) ?? "test-results/pages");
const PASSWORD = "correct horse 42";
// --top: the first screen only (what a visitor sees before scrolling), instead of the whole page.
const top = args.includes("--top");

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "netflix-shots-"));
  const [db, redis] = await Promise.all([startFerretDb({ dir: path.join(dir, "db") }), startRedis({ dir: path.join(dir, "redis") })]);
  const config = loadConfig({
    NODE_ENV: "development",
    COOKIE_SECURE: "false",
    MONGODB_URI: `${db.url.replace(/\/[^/]*$/, "")}/shots`,
    REDIS_URL: redis.url,
    SESSION_SECRET: "screenshots-secret-that-is-long-enough-0123",
    LOG_LEVEL: "silent",
    GENERAL_RATE_LIMIT_PER_MINUTE: "100000",
    MEDIA_DIR: process.env.MEDIA_DIR ?? path.resolve("media"),
  });
  const deps = await createDeps(config, { name: "shots", logger: createLogger("silent") });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
  const server = createApp(deps, { shuttingDown: false }).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await seedDemoCatalog(deps);
    const films = await deps.models.Title.find({ status: "published", kind: "movie" }).sort({ popularity: -1 }).limit(50).lean();
    const film = films.find((t) => t.media?.hlsUrl);
    const series = await deps.models.Title.findOne({ status: "published", kind: "series" }).sort({ popularity: -1 }).lean();
    const month = () => ({ plan: "standard", status: "active", currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000), activatedAt: new Date() });

    async function account(email: string, opts: { role?: string; subscription?: object } = {}): Promise<BrowserContext> {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
      const page = await ctx.newPage();
      await page.goto(`${base}/register`);
      await page.locator("#displayName").fill(email.split("@")[0]!);
      await page.locator("#email").fill(email);
      await page.locator("#password").fill(PASSWORD);
      await page.locator("form button[type=submit]").click();
      await page.waitForURL((u) => !u.pathname.startsWith("/register"));
      // Sign-up answers "now sign in" whether the address was new or taken.
      await page.goto(`${base}/login`);
      await page.locator("#email").fill(email);
      await page.locator("#password").fill(PASSWORD);
      await page.locator("form.form button[type=submit]").click();
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      // Addresses count as confirmed: pages show without the "confirm your email" banner.
      await deps.models.User.updateOne(
        { email },
        { $set: { emailVerifiedAt: new Date(), ...(opts.role ? { role: opts.role } : {}), ...(opts.subscription ? { subscription: opts.subscription } : {}) } },
      );
      await page.goto(`${base}/browse`);
      await page.close();
      return ctx;
    }

    const subscriber = await account("sam@example.com", { subscription: month() });
    const newcomer = await account("new@example.com");
    const pending = await account("pending@example.com");
    const admin = await account("ops@example.com", { role: "admin", subscription: month() });
    {
      const page = await pending.newPage();
      await page.goto(`${base}/plans`);
      await page.locator(".plan-card form button").first().click();
      await page.waitForURL("**/checkout/*");
      await page.close();
    }
    const profile = await deps.models.Profile.findOne({ userId: (await deps.models.User.findOne({ email: "sam@example.com" }))!._id });
    const now = new Date();
    const progress = (titleId: unknown, episodeKey: string, positionSec: number, durationSec: number, ago: number) => ({
      _id: progressRowId(String(profile!._id), String(titleId), episodeKey),
      profileId: profile!._id,
      titleId,
      episodeKey,
      positionSec,
      durationSec,
      completed: positionSec >= durationSec * 0.9,
      lastWatchedAt: new Date(now.getTime() - ago * 60_000),
      clientTs: now.getTime() - ago * 60_000,
    });
    if (film) await deps.models.WatchProgress.create(progress(film._id, "main", 1500, 3000, 5));
    if (series) {
      await deps.models.WatchProgress.create(progress(series._id, "s1e1", 1400, 1440, 30));
      await deps.models.WatchProgress.create(progress(series._id, "s1e2", 600, 1440, 10));
    }

    const pages: [string, BrowserContext | null, string][] = [
      ["landing", null, "/"],
      ["register", null, "/register"],
      ["login", null, "/login"],
      ["plans", newcomer, "/plans"],
      ["browse-no-plan", newcomer, "/browse"],
      ["watch-no-plan", newcomer, film ? `/watch/${film.slug}` : "/browse"],
      ["checkout-pending", pending, "/account/billing"],
      ["browse", subscriber, "/browse"],
      ["title-film", subscriber, film ? `/title/${film.slug}` : "/browse"],
      ["title-series", subscriber, series ? `/title/${series.slug}` : "/browse"],
      ["watch", subscriber, film ? `/watch/${film.slug}` : "/browse"],
      ["genres", subscriber, "/genres"],
      ["search", subscriber, "/search?q=the"],
      ["my-list", subscriber, "/my-list"],
      ["history", subscriber, "/history"],
      ["notifications", subscriber, "/notifications"],
      ["account", subscriber, "/account"],
      ["not-found", subscriber, "/title/no-such-title"],
      ["admin-jobs", admin, "/admin/jobs"],
      ["admin-payments", admin, "/admin/payments?status=all"],
      ["series", subscriber, "/series"],
      ["films", subscriber, "/films"],
      ["new", subscriber, "/new"],
    ];
    mkdirSync(outDir, { recursive: true });
    for (const [name, ctx, url] of pages) {
      if (only && !only.has(name)) continue;
      for (const viewport of [
        { width: 1280, height: 900 },
        { width: 390, height: 844 },
      ]) {
        const context = ctx ?? (await browser.newContext({ locale: "en-US" }));
        const page = await context.newPage();
        await page.setViewportSize(viewport);
        const res = await page.goto(base + url, { waitUntil: "load" });
        await page.waitForTimeout(400);
        const file = path.join(outDir, `${name}-${viewport.width}.png`);
        if (!top && name !== "watch") await wholePageScreenshot(page, { path: file });
        else await page.screenshot({ path: file });
        console.log(`${name}-${viewport.width}: ${res?.status()} ${page.url().replace(base, "")}`);
        await page.close();
        if (!ctx) await context.close();
      }
    }
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
    await closeDeps(deps);
    await Promise.all([db.stop(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
