// Per-request plumbing: request ids in logs and X-Request-Id, a response deadline, view locals.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { pinoHttp } from "pino-http";
import { csrf } from "./csrf.js";
import { BadRequestError, ServiceUnavailableError } from "./errors.js";
import type { Logger } from "./logger.js";
import { assetUrls } from "./static-assets.js";
import { activeTraceId } from "./tracing.js";

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers["x-request-id"];
      // With tracing on the request's id is its trace id: the one id an operator needs for the
      // log lines, the error page and the trace.
      const id = activeTraceId() ?? (typeof incoming === "string" && INCOMING_ID.test(incoming) ? incoming : randomUUID());
      res.setHeader("X-Request-Id", id);
      return id;
    },
    // A 503 is an outage or a deadline (expected, and counted by /ready): warn, not error.
    customLogLevel: (_req, res, err) => {
      if (res.statusCode === 503) return "warn";
      if (res.statusCode >= 500 || err) return "error";
      return res.statusCode >= 400 ? "info" : "debug";
    },
    // pino-http binds the request to a child logger on every request, logged or not: keep that
    // to the request line (no headers: nothing to redact, no cookies near the logs).
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => req.url === "/live" || req.url === "/ready" || req.url === "/metrics" },
  });
}

/**
 * Refuses an address longer than `max` characters with a 400 before any work is done for it
 * (session, rate limit, query parsing): free text in a query string has no business being
 * kilobytes long, and many such requests at once would slow every other page.
 */
export function urlLengthCap(max: number): RequestHandler {
  return (req, _res, next) => next(req.originalUrl.length > max ? new BadRequestError("errors.urlTooLong") : undefined);
}

/**
 * Runs independent middleware at the same time and goes on once every one has finished, with
 * the first error if any failed. For middleware that each wait on a round trip to the same
 * server and do not read each other's results (the session load and the rate-limit count):
 * their commands leave together and the request waits once instead of twice.
 */
export function concurrently(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let waiting = handlers.length;
    let firstError: unknown;
    const done = (err?: unknown) => {
      if (err !== undefined && err !== null && firstError === undefined) firstError = err;
      if (--waiting === 0) next(firstError);
    };
    for (const handler of handlers) {
      let called = false;
      const once = (err?: unknown) => {
        if (called) return;
        called = true;
        done(err);
      };
      try {
        const result: unknown = handler(req, res, once);
        if (result instanceof Promise) result.catch(once);
      } catch (err) {
        once(err);
      }
    }
  };
}

/**
 * A request that has not answered within `ms` gets a 503 instead of hanging. Its handler still
 * runs to the end; once the 503 is out, whatever the handler then writes is dropped, so a late
 * page neither throws ERR_HTTP_HEADERS_SENT nor logs a second time.
 */
export function requestDeadline(ms: number): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      dropWritesAfterEnd(res);
      next(new ServiceUnavailableError("errors.timeout"));
    }, ms);
    res.on("close", () => clearTimeout(timer));
    res.on("finish", () => clearTimeout(timer));
    next();
  };
}

/**
 * Makes header and body writes no-ops once another answer has started (its headers are out) or
 * ended. Installed when the deadline fires, before its 503 is sent: that answer's own writes
 * come first and go through; the late handler's come after and are dropped. (A compressing
 * middleware may still be streaming the 503 when the handler finishes: its headers are out, so
 * the handler neither throws ERR_HTTP_HEADERS_SENT nor writes into that body.)
 */
function dropWritesAfterEnd(res: ServerResponse): void {
  const guard = <F extends (...args: never[]) => unknown>(fn: F, ended: () => ReturnType<F>): F =>
    function (this: ServerResponse, ...args: Parameters<F>) {
      return res.headersSent || res.writableEnded ? ended() : fn.apply(this, args);
    } as F;
  res.setHeader = guard(res.setHeader, () => res);
  res.writeHead = guard(res.writeHead, () => res);
  res.write = guard(res.write, () => true);
  res.end = guard(res.end, () => res);
}

/** What every template may use: the user, the CSRF token, a one-shot flash message, asset URLs. */
export const viewLocals: RequestHandler = (req, res, next) => {
  res.locals.assets = assetUrls;
  res.locals.currentPath = req.originalUrl;
  // Only sessions that already exist get a token; an anonymous landing page stays session-free.
  res.locals.csrfToken = req.user || req.session?.csrfToken ? csrf.generateToken(req) : undefined;
  if (req.session?.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
