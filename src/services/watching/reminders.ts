// "Remind me" on Coming soon titles, and what happens on release day: the title becomes
// watchable and every profile that asked is told once (a notification, and a mail to the account).
import type { Deps } from "../../deps.js";
import { op } from "../../lib/db.js";
import { NotFoundError } from "../../lib/errors.js";
import type { Viewer } from "../../lib/maturity.js";
import { enqueueEvent } from "../notifications/index.js";
import { getComingSoon, listReleasedSince, releaseDueTitles, type ComingSoonCard } from "../catalog/index.js";

type ReminderDeps = Pick<Deps, "models" | "clock">;

/**
 * Turns the reminder on or off. The request names the state it wants, and turning it on is an
 * upsert on the unique (profile, title) pair, so a double click or two tabs leave one reminder.
 * Only announced titles the profile may see take reminders (anything else is a 404).
 */
export async function setReminder(
  deps: ReminderDeps,
  who: { userId: string; profileId: string },
  viewer: Viewer,
  titleId: string,
  on: boolean,
): Promise<ComingSoonCard> {
  const card = await getComingSoon(deps, viewer, { id: titleId });
  if (!card) throw new NotFoundError("catalog.titleNotFound");
  const filter = { profileId: who.profileId, titleId: card.id };
  if (!on) {
    await deps.models.Reminder.deleteOne(filter);
    return card;
  }
  try {
    await deps.models.Reminder.updateOne(filter, { $setOnInsert: { userId: who.userId, notifiedAt: null } }, { upsert: true });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return card;
}

/** Which of these titles the profile asked to be reminded of. */
export async function remindedTitleIds(deps: Pick<Deps, "models">, profileId: string, titleIds: string[]): Promise<Set<string>> {
  if (titleIds.length === 0) return new Set();
  const rows = await deps.models.Reminder.find({ profileId, titleId: op({ $in: titleIds }) }, { titleId: 1 }).lean();
  return new Set(rows.map((r) => String(r.titleId)));
}

// Reminders of titles released this long ago are still sent (a worker that was down for a day).
const CATCH_UP_MS = 7 * 86_400_000;

export interface ReleaseSummary {
  released: number;
  notified: number;
}

/**
 * The release-titles job: releases announced titles whose date has come, then sends each pending
 * reminder of recently released titles. Every reminder becomes outbox events whose ids name the
 * (title, profile) — and (title, account) for the mail — so a second run, a second worker or a
 * crash between the two steps never tells anyone twice; `notifiedAt` only spares later runs the work.
 */
export async function releaseTitlesAndRemind(deps: Parameters<typeof releaseDueTitles>[0], opts: { signal?: AbortSignal } = {}): Promise<ReleaseSummary> {
  const released = await releaseDueTitles(deps);
  const since = new Date(deps.clock.now().getTime() - CATCH_UP_MS);
  const titles = await listReleasedSince(deps, since);
  let notified = 0;
  for (const title of titles) {
    const pending = await deps.models.Reminder.find({ titleId: title.id, notifiedAt: null }).lean();
    if (pending.length === 0) continue;
    const profiles = await deps.models.Profile.find({ _id: op({ $in: pending.map((r) => r.profileId) }) }, { name: 1 }).lean();
    const nameOf = new Map(profiles.map((p) => [String(p._id), p.name]));
    for (const r of pending) {
      if (opts.signal?.aborted) return { released: released.length, notified };
      const userId = String(r.userId);
      const profileId = String(r.profileId);
      const payload = { userId, titleId: title.id, slug: title.slug, title: title.title, profile: nameOf.get(profileId) ?? "" };
      if (await enqueueEvent(deps, { id: `title.released:${title.id}:${profileId}`, type: "title.released", payload })) notified += 1;
      // One mail per account, however many of its profiles asked.
      await enqueueEvent(deps, { id: `title.released.mail:${title.id}:${userId}`, type: "title.released.mail", payload });
      await deps.models.Reminder.updateOne({ _id: r._id }, { $set: { notifiedAt: deps.clock.now() } });
    }
  }
  return { released: released.length, notified };
}
