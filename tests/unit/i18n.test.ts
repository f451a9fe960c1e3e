import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage, localeKeys, translator } from "../../src/lib/i18n.js";

describe("translations", () => {
  it("English and Vietnamese carry exactly the same keys (a plural string's forms follow each language's rules)", () => {
    const base = (keys: string[]) => [...new Set(keys.map((k) => k.replace(/\.(zero|one|two|few|many|other)$/, "")))].sort();
    expect(base(localeKeys("vi"))).toEqual(base(localeKeys("en")));
    // Every plural string has the "other" form in both, the one Intl.PluralRules always has.
    for (const locale of ["en", "vi"] as const) {
      const keys = new Set(localeKeys(locale));
      for (const k of keys) if (/\.(one|few|many)$/.test(k)) expect(keys.has(k.replace(/\.\w+$/, ".other")), `${locale}: ${k}`).toBe(true);
    }
  });

  it("fills {placeholders} and falls back to the key when a string is missing", () => {
    const t = translator("en");
    expect(t("home.welcome", { name: "Ada" })).toBe("Welcome, Ada");
    expect(t("no.such.key")).toBe("no.such.key");
  });

  it("picks the best supported language from Accept-Language", () => {
    expect(localeFromAcceptLanguage("fr-FR,vi;q=0.8,en;q=0.5")).toBe("vi");
    expect(localeFromAcceptLanguage("en-GB,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("vi;q=0, en;q=0.1")).toBe("en");
    expect(localeFromAcceptLanguage("de")).toBeUndefined();
    expect(localeFromAcceptLanguage(undefined)).toBeUndefined();
  });
});
