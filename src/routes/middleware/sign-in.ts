// The last step of every sign-in (after the password, and the code when 2FA is on): a new session,
// the devices index, and the browser's device cookie for the "new sign-in" mail.
import type { Request, Response } from "express";
import type { Deps } from "../../deps.js";
import { DEVICE_COOKIE_MAX_AGE_MS, DEVICE_ID_PATTERN, indexSession, newDeviceId, noteSignIn, subscriptionView } from "../../services/accounts/index.js";
import { safeNextPath } from "../../lib/safe-redirect.js";
import { planFixPath, planState } from "./auth.js";
import { beginSession } from "./session.js";

export function deviceCookieName(config: Deps["config"]): string {
  return config.session.secureCookie ? "__Host-did" : "did";
}

export async function completeSignIn(deps: Deps, req: Request, res: Response, userId: string): Promise<void> {
  await beginSession(req, userId);
  await indexSession(deps.redis, userId, req.sessionID);
  const name = deviceCookieName(deps.config);
  const current = (req.cookies as Record<string, unknown> | undefined)?.[name];
  const deviceId = typeof current === "string" && DEVICE_ID_PATTERN.test(current) ? current : newDeviceId();
  // Long-lived and renewed at each sign-in; it names the browser, never the account.
  res.cookie(name, deviceId, {
    httpOnly: true,
    sameSite: "lax",
    secure: deps.config.session.secureCookie,
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_MS,
  });
  await noteSignIn(deps, userId, { deviceId, userAgent: req.get("user-agent")?.slice(0, 300), ip: req.ip });
}

/** What the landing needs of an account. */
type SignedInUser = { role?: string | null } & Parameters<typeof subscriptionView>[0];

/**
 * Where a sign-in lands: the page it was asked for; else, for an account that cannot watch yet
 * (no plan, or a payment waiting), the step that fixes it (choose a plan, finish paying); else home.
 */
export async function landingAfterSignIn(deps: Deps, who: string | SignedInUser, next?: string | null): Promise<string> {
  if (next) return safeNextPath(next);
  // The password step already has the account; the code step reads it by id.
  const user = typeof who === "string" ? await deps.models.User.findById(who).select("role subscription").lean() : who;
  const fix = !user || user.role === "admin" ? null : planFixPath(planState(subscriptionView(user), deps.clock.now()));
  return fix ?? safeNextPath(undefined);
}
