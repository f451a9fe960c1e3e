// The one error middleware: typed errors become translated pages or fragments; the rest log and show 500.
import type { ErrorRequestHandler, RequestHandler } from "express";
import mongoose from "mongoose";
import { ZodError } from "zod";
import { isCsrfError } from "./csrf.js";
import { AppError, BadRequestError, ForbiddenError, NotFoundError, ServiceUnavailableError, ValidationError } from "./errors.js";
import type { Logger } from "./logger.js";
import { applyLocale, fallbackLocale } from "./locale.js";
import { assetUrls } from "./static-assets.js";
import { isHtmx, render } from "./views.js";

/** Errors that mean a backing service (Redis, MongoDB) is away: answer 503, not 500. */
function isUnavailable(err: unknown): boolean {
  if (err instanceof mongoose.Error.MongooseServerSelectionError) return true;
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.name === "MongoNetworkError" || e?.name === "MongoServerSelectionError" || e?.name === "MongoNotConnectedError") return true;
  if (e?.name === "MongoNetworkTimeoutError" || e?.name === "MongoTopologyClosedError" || e?.name === "MongoPoolClearedError") return true;
  const message = e?.message ?? "";
  return (
    /Stream isn't writeable|enableOfflineQueue|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|Client must be connected|connection .* closed/i.test(
      message,
    ) || e?.code === "ECONNREFUSED"
  );
}

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (isCsrfError(err)) return new ForbiddenError("errors.csrf");
  if (err instanceof mongoose.Error.CastError) return new NotFoundError();
  // Input is parsed through lib/validation's helpers; a schema parsed any other way is still input.
  if (err instanceof ZodError) return new BadRequestError("errors.badRequest");
  if (isUnavailable(err)) return new ServiceUnavailableError();
  const status = (err as { status?: number; type?: string })?.status;
  // body-parser errors: malformed JSON/urlencoded, oversize bodies, too many parameters.
  if (status === 400 || status === 413 || status === 415) return new AppError(status, "errors.badRequest");
  return undefined;
}

/** The action that gets a user past an error, shown as the error page's main button. */
export interface ErrorFix {
  href: string;
  labelKey: string;
  leadKey?: string;
}

export function errorFix(status: number, messageKey: string, locals: { user?: unknown; planState?: string }, path: string): ErrorFix | null {
  if (messageKey === "errors.subscriptionRequired") {
    return locals.planState === "pending"
      ? { href: "/checkout", labelKey: "errors.fix.viewPayment", leadKey: "errors.fix.pendingLead" }
      : { href: "/plans", labelKey: "errors.fix.choosePlan", leadKey: "errors.fix.choosePlanLead" };
  }
  if (messageKey === "errors.adultProfileNeeded") return { href: "/profiles", labelKey: "errors.fix.switchProfile" };
  if (status === 401) return { href: `/login?next=${encodeURIComponent(path)}`, labelKey: "errors.fix.signIn" };
  if (status === 404 && locals.user) return { href: "/search", labelKey: "errors.fix.search" };
  if (status === 503 || status === 500) return { href: path, labelKey: "errors.fix.tryAgain" };
  return null;
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    const status = appError?.status ?? 500;
    if (res.headersSent) {
      // The answer is out (a stream that failed midway): one line, and the connection ends.
      logger.error({ err, reqId: req.id }, "error after the response was sent");
      return void res.end();
    }
    // The request's own log line (pino-http, on finish) carries a server-side error with its
    // stack: one line per request, with its id.
    if (status >= 500) (res as { err?: unknown }).err = err;

    const messageKey = appError?.messageKey ?? "errors.internal";
    const data = {
      status,
      messageKey,
      fields: appError instanceof ValidationError ? appError.fields : {},
      requestId: String(req.id ?? ""),
      fix: errorFix(status, messageKey, res.locals, req.method === "GET" ? req.originalUrl : "/"),
    };
    if (status === 503) res.set("Retry-After", "5");
    if (!res.locals.t) applyLocale(res, fallbackLocale(req));
    res.locals.assets ??= assetUrls;
    const wantsJson = req.accepts(["html", "json"]) === "json";
    if (wantsJson) return void res.status(status).json({ error: res.locals.t(messageKey), status });
    // htmx ignores 4xx/5xx by default; the layout's responseHandling config swaps error fragments in.
    const fragment = isHtmx(req) && req.get("HX-Boosted") !== "true";
    try {
      render(res, fragment ? "errors/_message" : "errors/error", data, status);
    } catch (renderErr) {
      // The error page itself failed: answer in plain text rather than fall through to Express.
      logger.error({ err: renderErr, reqId: req.id }, "error page failed to render");
      res
        .status(status)
        .type("text")
        .send(`${status} ${res.locals.t(messageKey)}`);
    }
  };
}
