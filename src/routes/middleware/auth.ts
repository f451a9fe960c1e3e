// Who is asking: loads the signed-in user per request, and the guards that routes mount.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { profilesRead, userRead, type CurrentUser, type ProfileView } from "../../services/accounts/index.js";
import { GENRES } from "../../services/catalog/index.js";
import { flashAndRedirect, redirectTo } from "../../lib/respond.js";
import type { Deps } from "../../deps.js";
import { ForbiddenError } from "../../lib/errors.js";
import { endSession } from "./session.js";
import { cachedStates, type SeenVersions } from "../../lib/state-cache.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: CurrentUser;
      /** The signed-in account's profiles, read together with the user. */
      accountProfiles?: ProfileView[];
    }
  }
}

/**
 * Reads the user behind the session on every request, so suspension, deletion and role or
 * subscription changes take effect at once even for a live session.
 */
export function loadCurrentUser(deps: Pick<Deps, "models" | "redis" | "logger" | "cache" | "clock">): RequestHandler {
  return async (req, res, next) => {
    const auth = req.session?.auth;
    if (!auth) return next();
    // Who is watching is needed wherever the user is: both in one Redis round trip.
    // What the request reads of cached state is noted as it goes, for pages kept by those versions.
    const seen: SeenVersions = (res.locals.seenVersions = []);
    const [user, profiles] = await cachedStates(deps, [userRead(deps, auth.userId), profilesRead(deps, auth.userId)] as const, seen);
    if (!user) {
      await endSession(req, deps.redis);
      return next();
    }
    req.user = user;
    req.accountProfiles = profiles;
    res.locals.user = user;
    // Pages lead an account without a running plan to the step that fixes it (layout banner,
    // Play buttons, the 403 page): "pending" while a payment waits, "none" otherwise.
    res.locals.planState = planState(user.subscription, deps.clock.now());
    res.locals.navGenres = GENRES;
    next();
  };
}

function redirectToLogin(req: Request, res: Response): void {
  redirectTo(req, res, `/login?next=${encodeURIComponent(req.originalUrl)}`, "sign-in");
}

export const requireUser: RequestHandler = (req, res, next) => {
  if (!req.user) return redirectToLogin(req, res);
  next();
};

/**
 * The one guard for /admin/**: anonymous -> sign in, subscribers -> 403, an admin without
 * two-step sign-in -> its setup page (pages, htmx requests and actions alike), and an admin idle
 * on admin pages longer than the admin idle limit signs in again.
 */
export function requireAdmin(deps: Pick<Deps, "config" | "redis">): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) return redirectToLogin(req, res);
    if (req.user.role !== "admin") return next(new ForbiddenError());
    if (!req.user.twoFactor) return flashAndRedirect(req, res, "/account/two-factor", "security.twoFactor.adminRequired", undefined, "error");
    const auth = req.session.auth!;
    const now = Date.now();
    const lastAdmin = auth.adminSeenAt ?? auth.createdAt;
    if (now - lastAdmin > deps.config.session.adminIdleMs) {
      await endSession(req, deps.redis);
      return redirectToLogin(req, res);
    }
    // express-session writes the changed session when the response ends.
    auth.adminSeenAt = now;
    next();
  };
}

/** True while the user's subscription is active and its period has not ended. */
export function hasActiveSubscription(user: CurrentUser | undefined, now: Date): boolean {
  const sub = user?.subscription;
  return sub?.status === "active" && sub.currentPeriodEnd !== null && sub.currentPeriodEnd > now;
}

export type PlanState = "active" | "pending" | "none";

export function planState(subscription: CurrentUser["subscription"], now: Date): PlanState {
  if (subscription.status === "active" && subscription.currentPeriodEnd !== null && subscription.currentPeriodEnd > now) return "active";
  return subscription.status === "pending" ? "pending" : "none";
}

/** Where an account in this state goes to start watching: the plans, or its waiting payment. */
export function planFixPath(state: PlanState): string | null {
  if (state === "active") return null;
  return state === "pending" ? "/checkout" : "/plans";
}

/**
 * The one gate for watch pages and media URLs: checked on every request against the current
 * user (its cached copy: any write to the user reaches it first), so an expired or suspended user
 * is turned away at once.
 */
export function requireActiveSubscription(deps: Pick<Deps, "clock">): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return redirectToLogin(req, res);
    if (!hasActiveSubscription(req.user, deps.clock.now())) return next(new ForbiddenError("errors.subscriptionRequired"));
    next();
  };
}

export type { CurrentUser };
