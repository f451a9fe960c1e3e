// Profiles: who is watching on an account. 1..5 per user, kids ceilings, an optional hashed PIN.
import { isObjectId } from "../../lib/validation.js";
import type { Types } from "mongoose";
import { checkedAttempt, type AttemptLimit } from "../../lib/attempts.js";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors.js";
import type { StateRead, StateScope } from "../../lib/state-cache.js";
import { AVATARS, MAX_PROFILES, type Avatar, type ProfileDoc } from "../../models/profile.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { dropState } from "../../lib/state-cache.js";
import { PROGRESS_STATE, TITLE_STATE, dropBuffered } from "../watching/index.js";

/** What pages and middleware need to know about a profile; never the PIN hash. */
export interface ProfileView {
  id: string;
  name: string;
  avatar: Avatar;
  kids: boolean;
  maxMaturity: string | null;
  subtitleLang: string | null;
  locked: boolean;
}

export interface ProfileInput {
  name: string;
  avatar: Avatar;
  kids: boolean;
  maxMaturity: string | null;
}

/** Ceilings offered on the profile form, lowest first. Kids profiles must pick one. */
export const MATURITY_CHOICES = ["G", "PG", "PG-13", "R"] as const;
export const KIDS_DEFAULT_MATURITY = "PG";
const KIDS_MATURITY_CHOICES: ReadonlySet<string> = new Set(["G", "PG", "PG-13"]);

type ProfileDeps = Pick<Deps, "models">;

/**
 * An account's profiles as every signed-in request sees them (read with the user, see
 * loadCurrentUser). The Profile model reports its writes, so an edit on any device (a lowered
 * kids ceiling, a new PIN, a deleted profile) applies on the next request.
 */
export const PROFILES_STATE: StateScope<ProfileView[]> = { name: "profiles", ttlSeconds: 300 };

export function profilesRead(deps: ProfileDeps, userId: string): StateRead<ProfileView[]> {
  return { scope: PROFILES_STATE, owner: userId, load: () => listProfiles(deps, userId) };
}

export function toProfileView(doc: ProfileDoc): ProfileView {
  return {
    id: doc.id,
    name: doc.name,
    avatar: doc.avatar,
    kids: doc.kids,
    maxMaturity: doc.maxMaturity ?? null,
    locked: Boolean(doc.pinHash),
    subtitleLang: doc.subtitleLang ?? null,
  };
}

/** Remembers the subtitle language the profile chose in the player ("off", or a language code). */
export async function setSubtitleLanguage(deps: Pick<Deps, "models">, userId: string, profileId: string, lang: string): Promise<void> {
  await deps.models.Profile.updateOne({ _id: profileId, userId }, { $set: { subtitleLang: lang } });
}

export async function listProfiles(deps: ProfileDeps, userId: string): Promise<ProfileView[]> {
  const docs = await deps.models.Profile.find({ userId }).sort({ slot: 1 });
  return docs.map(toProfileView);
}

/** The user's profiles, creating a first one named after the account when there are none. */
export async function ensureProfiles(deps: ProfileDeps, user: { id: string; displayName: string }): Promise<ProfileView[]> {
  const existing = await listProfiles(deps, user.id);
  if (existing.length > 0) return existing;
  try {
    await deps.models.Profile.create({ userId: user.id, slot: 0, name: user.displayName.slice(0, 30), avatar: "red" });
  } catch (err) {
    // A concurrent first request created it: fine, read it back.
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return listProfiles(deps, user.id);
}

/** A profile of this user, or 404: another account's profile id looks exactly like a missing one. */
export async function getOwnProfile(deps: ProfileDeps, userId: string, profileId: string): Promise<ProfileDoc> {
  if (!isObjectId(profileId)) throw new NotFoundError("profiles.notFound");
  const doc = await deps.models.Profile.findOne({ _id: profileId, userId });
  if (!doc) throw new NotFoundError("profiles.notFound");
  return doc;
}

function checkInput(input: ProfileInput): ProfileInput {
  if (!AVATARS.includes(input.avatar)) throw new ValidationError({ avatar: "validation.invalid" });
  let maxMaturity = input.maxMaturity;
  if (maxMaturity !== null && !(MATURITY_CHOICES as readonly string[]).includes(maxMaturity)) throw new ValidationError({ maxMaturity: "validation.invalid" });
  if (input.kids) {
    maxMaturity ??= KIDS_DEFAULT_MATURITY;
    if (!KIDS_MATURITY_CHOICES.has(maxMaturity)) throw new ValidationError({ maxMaturity: "profiles.kidsCeiling" });
  }
  return { ...input, maxMaturity };
}

/** Adds a profile in the first free slot; the unique (user, slot) index caps an account at five. */
export async function createProfile(deps: ProfileDeps, userId: string, input: ProfileInput): Promise<ProfileView> {
  const values = checkInput(input);
  for (let attempt = 0; attempt < MAX_PROFILES; attempt++) {
    const taken = new Set((await deps.models.Profile.find({ userId }, { slot: 1 }).lean()).map((p) => p.slot));
    const slot = [...Array(MAX_PROFILES).keys()].find((s) => !taken.has(s));
    if (slot === undefined) throw new ConflictError("profiles.limit");
    try {
      return toProfileView(await deps.models.Profile.create({ userId, slot, ...values }));
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
  throw new ConflictError("profiles.limit");
}

export async function updateProfile(deps: ProfileDeps, userId: string, profileId: string, input: ProfileInput): Promise<ProfileView> {
  const doc = await getOwnProfile(deps, userId, profileId);
  const values = checkInput(input);
  await deps.models.Profile.updateOne({ _id: doc._id, userId }, { $set: values });
  return { ...toProfileView(doc), ...values };
}

/** Deletes a profile and everything it watched, rated and listed; the last profile stays. */
export async function deleteProfile(deps: Pick<Deps, "models" | "redis">, userId: string, profileId: string): Promise<void> {
  const doc = await getOwnProfile(deps, userId, profileId);
  const count = await deps.models.Profile.countDocuments({ userId });
  if (count <= 1) throw new ConflictError("profiles.lastProfile");
  await deps.models.Profile.deleteOne({ _id: doc._id, userId });
  await eraseProfileData(deps, [doc._id]);
}

export async function eraseProfileData(deps: Pick<Deps, "models" | "redis">, profileIds: Types.ObjectId[]): Promise<void> {
  if (profileIds.length === 0) return;
  await dropBuffered(deps, profileIds.map(String));
  const filter = { profileId: op({ $in: profileIds }) };
  await Promise.all([
    deps.models.ListEntry.deleteMany(filter),
    deps.models.Rating.deleteMany(filter),
    deps.models.WatchProgress.deleteMany(filter),
    deps.models.Reminder.deleteMany(filter),
  ]);
  // What they listed, rated and watched stays cached otherwise until the copies' TTL.
  const ids = profileIds.map(String);
  await Promise.all([TITLE_STATE, PROGRESS_STATE].map((scope) => dropState(deps, scope, ids)));
}

/** Sets (or with null, removes) a profile's 4-digit PIN. */
export async function setProfilePin(deps: Pick<Deps, "models" | "config">, userId: string, profileId: string, pin: string | null) {
  const doc = await getOwnProfile(deps, userId, profileId);
  if (pin !== null && !/^\d{4}$/.test(pin)) throw new ValidationError({ pin: "profiles.pinFormat" });
  const pinHash = pin === null ? null : await hashPassword(pin, deps.config.argon2);
  await deps.models.Profile.updateOne({ _id: doc._id, userId }, { $set: { pinHash } });
}

const pinLimit = (config: Deps["config"]): AttemptLimit => ({
  name: "pin",
  max: config.attempts.pinMax,
  windowSeconds: config.attempts.windowSeconds,
  messageKey: "profiles.pinLocked",
});

/**
 * Checks the PIN of a locked profile before it can be entered. 10,000 codes are few, so attempts
 * are counted per profile in Redis before the check (see lib/attempts): a handful of wrong
 * guesses, even sent all at once, locks the profile for a while; the right PIN clears the count.
 */
export async function unlockProfile(
  deps: Pick<Deps, "models" | "redis" | "config">,
  userId: string,
  profileId: string,
  pin: string | undefined,
): Promise<ProfileView> {
  const doc = await getOwnProfile(deps, userId, profileId);
  const pinHash = doc.pinHash;
  if (!pinHash) return toProfileView(doc);
  const ok = await checkedAttempt(deps.redis, pinLimit(deps.config), doc.id, async () =>
    Boolean(pin && /^\d{4}$/.test(pin) && (await verifyPassword(pinHash, pin))),
  );
  if (!ok) throw new ValidationError({ pin: "profiles.pinWrong" });
  return toProfileView(doc);
}
