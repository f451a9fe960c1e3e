// Copy checks that need no server: plural forms, both languages carrying real translations, every
// key the code names existing, and no words written into the templates instead of the locales.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS } from "../../src/jobs/schedule.js";
import { localeKeys, translator } from "../../src/lib/i18n.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const files = (dir: string, ext: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, ext) : full.endsWith(ext) ? [full] : [];
  });

describe("plural forms", () => {
  it("follow Intl.PluralRules: one and other in English, a single form in Vietnamese", () => {
    const en = translator("en");
    const vi = translator("vi");
    expect(en("my-list.count", { n: 1 })).toBe("1 title");
    expect(en("my-list.count", { n: 0 })).toBe("0 titles");
    expect(en("my-list.count", { n: 7 })).toBe("7 titles");
    expect(en("catalog.seasonCount", { n: 1 })).toBe("1 season");
    expect(en("catalog.search.resultCount", { n: 2 })).toBe("2 titles");
    expect(en("plans.perPeriod", { n: 30 })).toBe("per 30 days");
    expect(vi("my-list.count", { n: 1 })).toBe("1 nội dung");
    expect(vi("catalog.seasonCount", { n: 3 })).toBe("3 mùa");
  });
});

describe("translations", () => {
  it("every Vietnamese string is translated (the same text as English only for names)", () => {
    const en = translator("en");
    const vi = translator("vi");
    const viKeys = new Set(localeKeys("vi"));
    const same = localeKeys("en").filter((k) => viKeys.has(k) && en(k) === vi(k));
    expect(same).toEqual(["account.deviceTypes.smarttv", "account.email", "account.ip", "admin.users.email", "app.name"]);
  });

  it("every scheduled job has a description in both languages", () => {
    for (const locale of ["en", "vi"] as const) {
      const keys = new Set(localeKeys(locale));
      for (const job of JOBS) expect(keys.has(`admin.jobs.descriptions.${job.name}`), `${locale}: ${job.name}`).toBe(true);
    }
  });

  it("every key the templates and the code name literally exists", () => {
    const keys = new Set(localeKeys("en"));
    const areas = new Set([...keys].map((k) => k.split(".")[0]!));
    const exists = (k: string) => keys.has(k) || keys.has(`${k}.other`);
    const missing: string[] = [];
    for (const file of [...files(path.join(ROOT, "src/views"), ".eta"), ...files(path.join(ROOT, "src"), ".ts")]) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*["'`]([a-z][\w-]*(?:\.[\w-]+)+)["'`]\s*[,)]/g)) {
        const key = m[1]!;
        if (areas.has(key.split(".")[0]!) && !exists(key)) missing.push(`${path.relative(ROOT, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("templates carry no words of their own: every visible string comes from the locales", () => {
    const found: string[] = [];
    for (const file of files(path.join(ROOT, "src/views"), ".eta")) {
      if (file.includes(`${path.sep}mail${path.sep}`)) continue;
      const text = readFileSync(file, "utf8")
        .replace(/<%[\s\S]*?%>/g, " ")
        .replace(/<[^>]*>/g, " ")
        .replace(/&[a-z]+;/g, " ");
      // Language names are written in their own language on purpose.
      for (const m of text.matchAll(/\p{L}{2,}(?:[ '’]\p{L}+)*/gu)) {
        if (!["English", "Tiếng Việt", "EN", "VI"].includes(m[0])) found.push(`${path.relative(ROOT, file)}: ${m[0]}`);
      }
    }
    expect(found).toEqual([]);
  });
});
