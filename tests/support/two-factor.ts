// Two-step sign-in in tests: real TOTP codes made with otplib from the key stored (encrypted) for
// the user, enrolment through the services, and a sign-in that answers the code step.
import { generate } from "otplib";
import type { Deps } from "../../src/deps.js";
import { openSecret } from "../../src/lib/secret-box.js";
import { confirmTwoFactorSetup, startTwoFactorSetup } from "../../src/services/accounts/index.js";
import { csrfToken, GOOD_PASSWORD, signIn, type Agent } from "./http.js";

/** The plain key behind a user's stored (or pending) TOTP key. */
export async function storedTotpKey(deps: Deps, userId: string, which: "secret" | "pendingSecret" = "secret"): Promise<string> {
  const user = await deps.models.User.findById(userId, { twoFactor: 1 }).lean();
  const sealed = user?.twoFactor?.[which];
  const key = sealed ? openSecret(deps.config.twoFactor.key, sealed) : null;
  if (!key) throw new Error(`user ${userId} has no ${which}`);
  return key;
}

/**
 * A code the app will accept now: from the current 30-second step, or from the next one when the
 * current step was already used (the app accepts one step of clock drift either way).
 */
export async function totpCode(deps: Deps, userId: string, which: "secret" | "pendingSecret" = "secret", opts: { epoch?: number } = {}): Promise<string> {
  const key = await storedTotpKey(deps, userId, which);
  const user = await deps.models.User.findById(userId, { twoFactor: 1 }).lean();
  const now = opts.epoch ?? Math.floor(Date.now() / 1000);
  const last = user?.twoFactor?.lastTimeStep;
  const epoch = typeof last === "number" && Math.floor(now / 30) <= last ? (last + 1) * 30 : now;
  return generate({ secret: key, epoch });
}

/** Turns 2FA on for a user the way the setup page does; returns the recovery codes. */
export async function enrolTwoFactor(deps: Deps, userId: string, password = GOOD_PASSWORD): Promise<string[]> {
  await startTwoFactorSetup(deps, userId, password);
  return confirmTwoFactorSetup(deps, userId, await totpCode(deps, userId, "pendingSecret"));
}

/** Posts a code (or recovery code) to the sign-in's code step. */
export async function sendSignInCode(agent: Agent, code: string) {
  const token = await csrfToken(agent, "/login");
  return agent.post("/login/two-factor").type("form").send({ _csrf: token, code });
}

/** Password, then a fresh TOTP code: the full sign-in of an account with 2FA on. */
export async function signInWithTotp(agent: Agent, deps: Deps, user: { id: string; email: string }, password = GOOD_PASSWORD) {
  const first = await signIn(agent, user.email, password);
  if (first.status !== 303 || first.headers.location !== "/login/two-factor") throw new Error(`password step: ${first.status} ${first.headers.location}`);
  return sendSignInCode(agent, await totpCode(deps, user.id));
}
