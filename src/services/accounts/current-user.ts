// The signed-in user as every request sees it, cached per user and renewed by any write to it.
import type { Deps } from "../../deps.js";
import type { StateRead, StateScope } from "../../lib/state-cache.js";
import { getActiveUser, subscriptionView } from "./users.js";

export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  role: "user" | "admin";
  locale: "en" | "vi";
  /** False until the address is confirmed: pages show a banner with a "resend" button. */
  emailVerified: boolean;
  /** True once a TOTP authenticator is enrolled; admins cannot use /admin without it. */
  twoFactor: boolean;
  subscription: { plan: string | null; status: string; currentPeriodEnd: Date | null };
}

type StoredUser = Omit<CurrentUser, "subscription"> & {
  subscription: Omit<CurrentUser["subscription"], "currentPeriodEnd"> & { currentPeriodEnd: string | null };
};

/**
 * The signed-in user as requests see it. Every write to a user document sets a new version token
 * (the User model reports its writes; see deps.ts), so a cached copy never outlives a change.
 */
export const USER_STATE: StateScope<CurrentUser | null, StoredUser | null> = {
  name: "user",
  ttlSeconds: 300,
  toStored: (u) => u && { ...u, subscription: { ...u.subscription, currentPeriodEnd: u.subscription.currentPeriodEnd?.toISOString() ?? null } },
  fromStored: (u) =>
    u && { ...u, subscription: { ...u.subscription, currentPeriodEnd: u.subscription.currentPeriodEnd ? new Date(u.subscription.currentPeriodEnd) : null } },
};

/** The active user with this id, or null (suspended, deleted, unknown). */
export function userRead(deps: Pick<Deps, "models">, userId: string): StateRead<CurrentUser | null, StoredUser | null> {
  return {
    scope: USER_STATE,
    owner: userId,
    load: async () => {
      const user = await getActiveUser(deps, userId);
      if (!user) return null;
      return {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        locale: user.locale,
        emailVerified: Boolean(user.emailVerifiedAt),
        twoFactor: Boolean(user.twoFactor?.enabledAt),
        subscription: subscriptionView(user),
      };
    },
  };
}
