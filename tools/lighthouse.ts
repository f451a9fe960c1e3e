// `npm run audit:lighthouse`: Lighthouse (performance, accessibility, best practices, SEO) over the
// pages a subscriber sees most, signed in, with the desktop and mobile presets, against the app
// in production mode on its own FerretDB and Redis with the demo catalog (the bench environment).
// Not part of the test suite: scores move with machine load, so it prints them for the README.
// Options: `--only watch,browse` audits just the pages whose path contains one of the words,
// `--preset mobile|desktop` just one preset, `--runs 3` each audit that many times (the median
// performance score, and the accessibility / best practices / SEO of that run, are printed),
// `--json dir` writes each run's full report there.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import lighthouse, { desktopConfig } from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { cookieClient, startBenchEnvironment } from "../bench/environment.js";
import { CHROMIUM, CHROMIUM_FLAGS } from "../tests/support/chromium.js";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

const { values: args } = parseArgs({
  options: { only: { type: "string" }, preset: { type: "string" }, runs: { type: "string", default: "1" }, json: { type: "string" } },
});
const only = args.only
  ? args.only
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean)
  : [];
const presets = (["desktop", "mobile"] as const).filter((p) => !args.preset || args.preset === p);
const runs = Math.max(1, Number(args.runs) || 1);

async function subscriberCookie(env: Awaited<ReturnType<typeof startBenchEnvironment>>): Promise<string> {
  const client = cookieClient(env.base);
  const email = `lighthouse.${Date.now()}@example.com`;
  const password = "correct horse 42";
  await client.submit("/register", { email, displayName: "Lighthouse", password });
  // An active plan without a payment round trip: the audit is about the pages, not checkout.
  await env.deps.models.User.updateOne(
    { email },
    { $set: { subscription: { plan: "standard", status: "active", currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000), activatedAt: new Date() } } },
  );
  await client.submit("/login", { email, password });
  await client.call("/browse"); // picks the only profile, as a first visit does
  return client.cookie();
}

async function main() {
  const env = await startBenchEnvironment();
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", ...CHROMIUM_FLAGS] });
  try {
    const cookie = await subscriberCookie(env);
    const films = await env.deps.models.Title.find({ status: "published", kind: "movie" }).sort({ popularity: -1 }).limit(50).lean();
    const title = films.find((t) => t.media?.hlsUrl);
    if (!title) throw new Error("the demo catalog has no playable film");
    const pages = ["/", "/browse", `/title/${title.slug}`, `/watch/${title.slug}`].filter(
      (page) => !only.length || only.some((word) => (page === "/" ? word === "/" : page.includes(word))),
    );
    const rows: string[][] = [];
    for (const page of pages) {
      const scores: string[] = [];
      for (const preset of presets) {
        // "/" signed in redirects to /browse; the landing page is audited as a visitor sees it.
        const headers = page === "/" ? {} : { Cookie: cookie };
        const results = [];
        for (let run = 0; run < runs; run++) {
          // A loaded machine sometimes loses the trace (NO_NAVSTART and the like): try that run again.
          let result;
          for (let attempt = 0; attempt < 3 && (!result || result.lhr.runtimeError); attempt++) {
            result = await lighthouse(
              env.base + page,
              { port: chrome.port, output: "json", logLevel: "error", extraHeaders: headers, onlyCategories: [...CATEGORIES] },
              preset === "desktop" ? desktopConfig : undefined,
            );
          }
          const lhr = result?.lhr;
          const metric = (id: string) => lhr?.audits[id]?.displayValue ?? "?";
          const perf = lhr?.categories.performance?.score;
          console.error(
            `${page} ${preset}: performance ${perf == null ? "?" : Math.round(perf * 100)}, FCP ${metric("first-contentful-paint")}, LCP ${metric("largest-contentful-paint")}, TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")}, SI ${metric("speed-index")}${lhr?.runtimeError ? `, error ${lhr.runtimeError.code}` : ""}`,
          );
          const failed = Object.values(lhr?.audits ?? {}).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
          if (failed.length) console.error(`${page} ${preset}: ${failed.map((a) => a.id).join(", ")}`);
          if (args.json && lhr) {
            mkdirSync(args.json, { recursive: true });
            const name = `${page.replace(title.slug, "slug").replace(/\W+/g, "-").replace(/^-|-$/g, "") || "home"}-${preset}-${run + 1}.json`;
            writeFileSync(path.join(args.json, name), JSON.stringify(lhr));
          }
          results.push(lhr);
        }
        // The run with the median performance score stands for the page.
        results.sort((a, b) => (a?.categories.performance?.score ?? 0) - (b?.categories.performance?.score ?? 0));
        const cats = results[Math.floor(results.length / 2)]?.categories;
        scores.push(CATEGORIES.map((c) => (cats?.[c]?.score == null ? "?" : String(Math.round(cats[c]!.score! * 100)))).join("/"));
      }
      rows.push([page.replace(title.slug, ":slug"), ...scores]);
    }
    const date = new Date().toISOString().slice(0, 10);
    console.log(
      `\nLighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version}, ${date} (performance/accessibility/best practices/SEO)\n`,
    );
    const heads = presets.map((p) => (p === "desktop" ? "Desktop" : "Mobile"));
    console.log(`| Page | ${heads.join(" | ")} |\n| --- |${heads.map(() => " --- |").join("")}`);
    for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  } finally {
    chrome.kill();
    await env.close();
  }
}

await main();
