// Dates for people, in the request's language (billing, notifications, admin tables).
import type { Locale } from "./i18n.js";

const ZONE = "Asia/Ho_Chi_Minh";
const formatterFor = (tag: string) => ({
  date: new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: ZONE }),
  dateTime: new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: ZONE }),
});
// Built once: formatters are costly to make and never change.
const FORMATS: Readonly<Record<Locale, { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>> = Object.freeze({
  en: formatterFor("en-GB"),
  vi: formatterFor("vi-VN"),
});

function formatter(locale: Locale, withTime: boolean): Intl.DateTimeFormat {
  return withTime ? FORMATS[locale].dateTime : FORMATS[locale].date;
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
