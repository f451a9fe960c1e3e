// Translations: one JSON file per area and locale under src/locales/<locale>/, flattened to dotted keys.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { localesDir } from "./paths.js";

export const LOCALES = ["en", "vi"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

type Dictionary = Map<string, string>;

function flatten(prefix: string, value: unknown, into: Dictionary): void {
  if (typeof value === "string") {
    into.set(prefix, value);
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    flatten(prefix ? `${prefix}.${key}` : key, child, into);
  }
}

function loadLocale(locale: Locale): Dictionary {
  const dict: Dictionary = new Map();
  const dir = path.join(localesDir, locale);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const area = file.replace(/\.json$/, "");
    flatten(area, JSON.parse(readFileSync(path.join(dir, file), "utf8")), dict);
  }
  return dict;
}

// Read once at start-up and never changed.
const dictionaries: ReadonlyMap<Locale, ReadonlyMap<string, string>> = new Map(LOCALES.map((l) => [l, loadLocale(l)]));

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Every key in a locale; tests use it to prove both catalogs carry the same strings. */
export function localeKeys(locale: Locale): string[] {
  return [...dictionaries.get(locale)!.keys()].sort();
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/**
 * A string with a count has its forms as children named by Intl.PluralRules categories
 * ({"count": {"one": "{n} title", "other": "{n} titles"}}), and `t("x.count", { n })` picks
 * the form for `n` in the locale: Vietnamese has only "other", English "one" and "other".
 */
export function translator(locale: Locale): Translate {
  const dict = dictionaries.get(locale)!;
  const fallback = dictionaries.get(DEFAULT_LOCALE)!;
  const plurals = new Intl.PluralRules(locale);
  const lookup = (key: string) => dict.get(key) ?? fallback.get(key);
  return (key, vars) => {
    let template = lookup(key);
    if (template === undefined && vars && vars.n !== undefined && Number.isFinite(Number(vars.n))) {
      template = lookup(`${key}.${plurals.select(Number(vars.n))}`) ?? lookup(`${key}.other`);
    }
    template ??= key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}

/** Picks the best supported locale from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((x) => x.lang && !Number.isNaN(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((r) => r.lang).find(isLocale);
}

export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(locale === "vi" ? "vi-VN" : "en-US").format(value);
}
