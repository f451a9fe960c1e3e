// Rate limits counted in Redis, so every web instance shares the same counters.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit, type Options } from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import type { Config } from "../config.js";
import { ServiceUnavailableError, TooManyRequestsError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { Redis } from "./redis.js";

function redisStore(redis: Redis, prefix: string) {
  return new RedisStore({
    prefix,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<number>,
  });
}

const clientIp = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");

/** The limiter's own reports (a store error while Redis is away) as JSON log lines, not on the console. */
function limiterLogger(logger: Logger): Options["logger"] {
  return {
    error: (err: unknown, message?: string) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, message ?? "rate limiter error"),
    warn: (err: unknown, message?: string) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, message ?? "rate limiter warning"),
  };
}

function tooMany(messageKey: string): Options["handler"] {
  return (_req, _res, next) => next(new TooManyRequestsError(messageKey));
}

/**
 * General per-IP limit. Fails open when Redis is away (a log line, the request goes on):
 * losing the limiter briefly is better than losing the site.
 */
export function generalLimiter(config: Config, redis: Redis, logger: Logger): RequestHandler {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: config.loginLimits.generalPerMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    store: redisStore(redis, "rl:general:"),
    keyGenerator: clientIp,
    handler: tooMany("errors.tooManyRequests"),
    passOnStoreError: true,
    logger: limiterLogger(logger),
  });
  return (req, res, next) => {
    // Skipped here rather than left to passOnStoreError, which reports on the console, outside the JSON logs.
    if (redis.status !== "ready") {
      logger.warn({ reqId: req.id }, "rate limiter skipped: redis unavailable");
      return next();
    }
    return limiter(req, res, next);
  };
}

function emailKey(req: Request): string {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "(none)";
}

/**
 * Login throttling counted on wrong credentials only (a 401): per email (from any IP) and per IP.
 * Every other answer is handed back, a 503 during a database or Redis outage included, so an
 * outage never counts against anyone. Once an email is over its limit even the right password
 * gets 429. Fails closed: without Redis there is no sign-in (503), since the limit could not be
 * enforced; when Redis is back the counts are what they were.
 */
export function loginLimiters(config: Config, redis: Redis, logger: Logger): RequestHandler[] {
  const common = {
    logger: limiterLogger(logger),
    standardHeaders: "draft-8" as const,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req: Request, res: Response) => res.statusCode !== 401,
    handler: tooMany("auth.tooManyAttempts"),
    passOnStoreError: false,
  };
  const perEmail = rateLimit({
    ...common,
    windowMs: config.loginLimits.emailWindowMs,
    limit: config.loginLimits.maxPerEmail,
    identifier: "login-email",
    store: redisStore(redis, "rl:login-email:"),
    keyGenerator: emailKey,
  });
  const perIp = rateLimit({
    ...common,
    windowMs: config.loginLimits.ipWindowMs,
    limit: config.loginLimits.maxPerIp,
    identifier: "login-ip",
    store: redisStore(redis, "rl:login-ip:"),
    keyGenerator: clientIp,
  });
  return [failClosed(perIp), failClosed(perEmail)];
}

function failClosed(limiter: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    Promise.resolve(
      limiter(req, res, (err?: unknown) => {
        if (err && !(err instanceof TooManyRequestsError)) return next(new ServiceUnavailableError());
        next(err);
      }),
    ).catch(() => next(new ServiceUnavailableError()));
}
