// Picks the language for each request and puts translation helpers on res.locals.
import type { Request, RequestHandler, Response } from "express";
import { DEFAULT_LOCALE, formatNumber, isLocale, localeFromAcceptLanguage, translator, type Locale } from "./i18n.js";

export const LOCALE_COOKIE = "lang";
const ONE_YEAR_MS = 365 * 24 * 3_600_000;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      locale: Locale;
    }
  }
}

/**
 * Order: `?lang=` from the switcher (remembered in a preference cookie), the signed-in user's
 * setting, the cookie, then Accept-Language. Anonymous visitors switch with a plain link, so
 * the landing page needs no session.
 */
/** Sets locale and translation helpers on res.locals. */
export function applyLocale(res: Response, locale: Locale): void {
  res.locals.locale = locale;
  res.locals.t = translator(locale);
  res.locals.formatNumber = (n: number) => formatNumber(locale, n);
}

/** For pages rendered before the locale middleware ran (an error early in the chain). */
export function fallbackLocale(req: Request): Locale {
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[LOCALE_COOKIE];
  return (isLocale(cookie) ? cookie : undefined) ?? localeFromAcceptLanguage(req.get("accept-language")) ?? DEFAULT_LOCALE;
}

export function localeMiddleware(secureCookie: boolean): RequestHandler {
  return (req, res, next) => {
    const fromQuery = req.query.lang;
    let locale: Locale | undefined;
    if (isLocale(fromQuery) && !req.user) {
      locale = fromQuery;
      res.cookie(LOCALE_COOKIE, locale, { maxAge: ONE_YEAR_MS, sameSite: "lax", httpOnly: true, secure: secureCookie, path: "/" });
    }
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[LOCALE_COOKIE];
    locale ??= req.user?.locale ?? (isLocale(cookie) ? cookie : undefined) ?? localeFromAcceptLanguage(req.get("accept-language")) ?? DEFAULT_LOCALE;
    req.locale = locale;
    applyLocale(res, locale);
    res.vary("Accept-Language");
    next();
  };
}
