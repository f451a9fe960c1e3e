// CSRF: synchronizer token kept in the session; HTMX sends it as a header, forms as a hidden field.
import type { Request, RequestHandler } from "express";
import { csrfSync } from "csrf-sync";
import { safeEqual } from "./safe-equal.js";

export const CSRF_HEADER = "x-csrf-token";
export const CSRF_FIELD = "_csrf";

export const csrf = csrfSync({
  // 32 random bytes (256 bits) is ample; the default 128 bytes put 256 hex characters into every
  // form on the page, and /browse has a My List form on each card.
  size: 32,
  getTokenFromRequest: (req: Request) => {
    const header = req.get(CSRF_HEADER);
    if (header) return header;
    const body = req.body as Record<string, unknown> | undefined;
    const field = body?.[CSRF_FIELD];
    return typeof field === "string" ? field : undefined;
  },
  errorConfig: { statusCode: 403, message: "errors.csrf", code: "EBADCSRFTOKEN" },
});

const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * csrf-sync's own check compares tokens with `===`, whose time depends on how many leading
 * characters of a guess are right; this one compares in constant time.
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  if (safeEqual(csrf.getTokenFromRequest(req), csrf.getTokenFromState(req))) return next();
  next(csrf.invalidCsrfTokenError);
};

export function isCsrfError(err: unknown): boolean {
  return (err as { code?: string })?.code === "EBADCSRFTOKEN";
}
