// Redis-backed sessions: cookie policy, idle and absolute timeouts, and the signed-in identity.
import RedisStore from "connect-redis";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import session from "express-session";
import type { Config } from "../../config.js";
import { SESSION_PREFIX, unindexSession } from "../../services/accounts/index.js";
import type { Redis } from "../../lib/redis.js";

export interface SessionAuth {
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  adminSeenAt?: number;
  userAgent?: string;
  ip?: string;
}

declare module "express-session" {
  interface SessionData {
    auth?: SessionAuth;
    flash?: { kind: "info" | "error"; key: string; vars?: Record<string, string> };
    loginEmail?: string;
    /** Password checked, second factor not yet: not a signed-in session. */
    pendingSignIn?: { userId: string; startedAt: number; next?: string };
  }
}

export function sessionCookieName(config: Config): string {
  // The __Host- prefix makes browsers refuse the cookie unless Secure, Path=/ and no Domain.
  return config.session.secureCookie ? "__Host-sid" : "sid";
}

export function createSessionMiddleware(config: Config, redis: Redis): RequestHandler {
  // No touch per request: the session is written (which renews its TTL and cookie) whenever it
  // changes, and sessionLimits changes lastSeenAt once a minute while it is in use. So the idle
  // timeout runs from the last write, at most a minute behind the last request, and a plain
  // page view costs one Redis read instead of a read and a write.
  const store = new RedisStore({ client: redis, prefix: SESSION_PREFIX, ttl: Math.ceil(config.session.idleMs / 1000), disableTouch: true });
  // With touch disabled the store's touch does nothing; without the method express-session does
  // not call it either, nor hash the session once more per request to decide whether to.
  (store as Partial<Pick<RedisStore, "touch">>).touch = undefined;
  return session({
    name: sessionCookieName(config),
    secret: config.session.secret,
    store,
    resave: false,
    saveUninitialized: false,
    // The cookie's expiry moves with each write (above); the absolute limit is enforced separately.
    rolling: false,
    proxy: config.trustProxyHops > 0,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: config.session.secureCookie,
      path: "/",
      maxAge: config.session.idleMs,
    },
  });
}

// The devices list shows "last seen"; writing it once a minute keeps most requests write-free.
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Ends sessions past the absolute limit and refreshes the last-seen time. */
export function sessionLimits(config: Config, redis: Redis): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const auth = req.session?.auth;
    if (!auth) return next();
    const now = Date.now();
    if (now - auth.createdAt > config.session.absoluteMs) {
      await endSession(req, redis);
      return next();
    }
    if (now - auth.lastSeenAt > LAST_SEEN_RESOLUTION_MS) auth.lastSeenAt = now;
    next();
  };
}

/** Starts a signed-in session under a new id, so a cookie from before sign-in stays anonymous. */
export async function beginSession(req: Request, userId: string): Promise<void> {
  await regenerate(req);
  const now = Date.now();
  req.session.auth = {
    userId,
    createdAt: now,
    lastSeenAt: now,
    userAgent: req.get("user-agent")?.slice(0, 300),
    ip: req.ip,
  };
  await save(req);
}

/** How long the code step of a sign-in may take after the password was accepted. */
export const PENDING_SIGN_IN_MS = 5 * 60_000;

/** The password was right and a code is still needed: a new, anonymous session remembers whose. */
export async function beginPendingSignIn(req: Request, userId: string, next?: string): Promise<void> {
  await regenerate(req);
  req.session.pendingSignIn = { userId, startedAt: Date.now(), next };
  await save(req);
}

/** The sign-in waiting for its code, unless it is too old. */
export function pendingSignIn(req: Request): { userId: string; startedAt: number; next?: string } | null {
  const pending = req.session?.pendingSignIn;
  if (!pending || Date.now() - pending.startedAt > PENDING_SIGN_IN_MS) return null;
  return pending;
}

/** Moves the current signed-in session to a new id (after a password or role change). */
export async function rotateSession(req: Request): Promise<void> {
  const { auth } = req.session;
  await regenerate(req);
  req.session.auth = auth;
  await save(req);
}

export async function endSession(req: Request, redis: Redis): Promise<void> {
  const userId = req.session.auth?.userId;
  const sid = req.sessionID;
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
  if (userId) await unindexSession(redis, userId, sid);
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}
