// Test helpers for billing, admin and jobs: users straight in the database, fixed clocks, admin agents.
import type { Express } from "express";
import { Types } from "mongoose";
import type { Deps } from "../../src/deps.js";
import { hashPassword } from "../../src/services/accounts/passwords.js";
import { GOOD_PASSWORD, newAgent, signIn, uniqueEmail, type Agent } from "./http.js";
import { enrolTwoFactor, signInWithTotp } from "./two-factor.js";

let cachedHash: string | undefined;

/** A user row without going through argon2 each time (the hash is computed once per file). */
export async function insertUser(
  deps: Deps,
  over: {
    role?: "user" | "admin";
    status?: "active" | "suspended" | "deleted";
    subscription?: Record<string, unknown>;
    email?: string;
    displayName?: string;
  } = {},
) {
  cachedHash ??= await hashPassword(GOOD_PASSWORD, deps.config.argon2);
  const user = await deps.models.User.create({
    email: over.email ?? uniqueEmail("bill"),
    displayName: over.displayName ?? "Bill Payer",
    passwordHash: cachedHash,
    role: over.role ?? "user",
    status: over.status ?? "active",
    subscription: over.subscription ?? {},
  });
  return { id: String(user._id), email: user.email };
}

export async function signedInAs(app: Express, email: string): Promise<Agent> {
  const agent = newAgent(app);
  const res = await signIn(agent, email);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return agent;
}

/**
 * A signed-in admin, as in production: two-step sign-in enrolled (admin pages need it), then the
 * password and a real TOTP code made with otplib from the stored key.
 */
export async function adminAgent(app: Express, deps: Deps) {
  const admin = await insertUser(deps, { role: "admin", displayName: "Ops Admin" });
  const recoveryCodes = await enrolTwoFactor(deps, admin.id);
  const agent = newAgent(app);
  const res = await signInWithTotp(agent, deps, admin);
  if (res.status !== 303) throw new Error(`admin sign-in failed: ${res.status}`);
  return { agent, admin, recoveryCodes };
}

export async function activeSubscriber(deps: Deps, days = 10, plan = "standard") {
  return insertUser(deps, { subscription: { plan, status: "active", currentPeriodEnd: new Date(Date.now() + days * 86_400_000), activatedAt: new Date() } });
}

/** A pending payment for a user, as checkout would create it. */
export async function pendingPayment(deps: Deps, userId: string, plan = "standard") {
  const { openCheckout } = await import("../../src/services/billing/payments.js");
  const { payment } = await openCheckout(deps, userId, plan);
  return { id: String(payment._id), reference: payment.reference, amount: payment.amount };
}

export function objectId(): string {
  return new Types.ObjectId().toString();
}

/** A deps copy whose clock reads `at` (jobs that look at "now"). */
export function at(deps: Deps, when: Date): Deps {
  return { ...deps, clock: { now: () => new Date(when) } };
}
