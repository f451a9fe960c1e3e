// The operator's view of one customer: the account, its payments and its signed-in sessions.
import type { Deps } from "../../deps.js";
import { listUserSessions, resolveUser } from "../accounts/index.js";
import { listUserPayments } from "./payments.js";

type AdminDeps = Pick<Deps, "models" | "redis">;

export async function getUserDetail(deps: AdminDeps, userId: string) {
  const user = await resolveUser(deps, userId);
  const id = String(user._id);
  const [payments, sessions] = await Promise.all([listUserPayments(deps, id, 50), listUserSessions(deps.redis, id)]);
  // Secrets never leave: the password hash, the TOTP key and recovery-code hashes, device hashes.
  const { passwordHash: _omit, twoFactor, knownDevices: _devices, ...safe } = user;
  return { user: { ...safe, twoFactorEnabledAt: twoFactor?.enabledAt ?? null }, payments, sessions };
}
