// "New sign-in" mail: each browser carries a long-lived random cookie; a sign-in from a browser the
// account has not used before mails the owner when, which browser/OS and from which IP address.
// An account's very first sign-in is not news and sends nothing.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { UAParser } from "ua-parser-js";
import type { Deps } from "../../deps.js";
import { enqueueEvent } from "../notifications/index.js";

/** How many browsers an account remembers; the oldest is forgotten first. */
export const KNOWN_DEVICES_KEPT = 20;
export const DEVICE_COOKIE_MAX_AGE_MS = 2 * 365 * 86_400_000;
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export const newDeviceId = () => randomBytes(24).toString("base64url");

// Stored per account: the same browser gets a different hash in each account it signs in to.
const deviceHash = (userId: string, deviceId: string) => createHash("sha256").update(`${userId}:${deviceId}`).digest("base64url").slice(0, 32);

export interface SignInContext {
  deviceId: string;
  userAgent?: string;
  ip?: string;
}

/** Records a completed sign-in; true when it came from a new browser and a notice was queued. */
export async function noteSignIn(deps: Pick<Deps, "models" | "clock">, userId: string, ctx: SignInContext): Promise<boolean> {
  const user = await deps.models.User.findById(userId, { knownDevices: 1, lastSignInAt: 1 }).lean();
  if (!user) return false;
  const now = deps.clock.now();
  const known = user.knownDevices ?? [];
  const hash = deviceHash(userId, ctx.deviceId);
  const isNew = !known.includes(hash);
  const firstSignIn = !user.lastSignInAt && known.length === 0;
  const set: Record<string, unknown> = { lastSignInAt: now };
  if (isNew) set.knownDevices = [...known, hash].slice(-KNOWN_DEVICES_KEPT);
  await deps.models.User.updateOne({ _id: userId }, { $set: set });
  if (!isNew || firstSignIn) return false;
  const ua = UAParser(ctx.userAgent ?? "");
  await enqueueEvent(deps, {
    id: `signin.new-device:${userId}:${randomUUID()}`,
    type: "signin.new-device",
    payload: {
      userId,
      at: now.toISOString(),
      browser: [ua.browser.name, ua.browser.version].filter(Boolean).join(" ") || "",
      os: [ua.os.name, ua.os.version].filter(Boolean).join(" ") || "",
      ip: ctx.ip ?? "",
    },
  });
  return true;
}
