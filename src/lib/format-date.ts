// Dates for people, in the request's language (billing, notifications, admin tables).
import type { Locale } from "./i18n.js";

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}:${withTime}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale === "vi" ? "vi-VN" : "en-GB",
      withTime ? { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" } : { dateStyle: "medium", timeZone: "Asia/Ho_Chi_Minh" },
    );
    formats.set(key, f);
  }
  return f;
}

export function formatDate(locale: Locale, value: Date | string | null | undefined, withTime = false): string {
  if (!value) return "";
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? "" : formatter(locale, withTime).format(d);
}

/** Adds `formatDate` / `formatDateTime` for templates, bound to the request's locale. */
export function dateHelpers(locale: Locale) {
  return {
    formatDate: (v: Date | string | null | undefined) => formatDate(locale, v),
    formatDateTime: (v: Date | string | null | undefined) => formatDate(locale, v, true),
  };
}
