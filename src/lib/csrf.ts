// CSRF: synchronizer token kept in the session; HTMX sends it as a header, forms as a hidden field.
import type { Request } from "express";
import { csrfSync } from "csrf-sync";

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

export function isCsrfError(err: unknown): boolean {
  return (err as { code?: string })?.code === "EBADCSRFTOKEN";
}
