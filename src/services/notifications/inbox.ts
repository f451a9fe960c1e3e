// In-app notifications: written by the outbox consumer (deduped by event id), read and marked by the user.
import { Types } from "mongoose";
import { op } from "../../lib/db.js";
import type { Deps } from "../../deps.js";
import { NotFoundError } from "../../lib/errors.js";
import { cachedState, type SeenVersions, type StateScope } from "../../lib/state-cache.js";
import type { DeliveredEvent, OutboxConsumer } from "./outbox.js";

export interface NewNotification {
  userId: string;
  type: string;
  title: string; // translation key
  body?: string; // translation key
  params?: Record<string, string | number>;
  link?: string;
  dedupeKey: string;
}

/** Creates the notification unless one with the same dedupe key exists; true when created. */
export async function notifyUser(deps: Pick<Deps, "models">, n: NewNotification): Promise<boolean> {
  try {
    await deps.models.Notification.create({ ...n, userId: new Types.ObjectId(n.userId) });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

/** The bell's number, cached per user; notification writes report themselves (see bootstrap). */
export const UNREAD_STATE: StateScope<number> = { name: "unread", ttlSeconds: 600 };

export function countUnread(deps: Pick<Deps, "models" | "redis" | "logger" | "cache">, userId: string, seen?: SeenVersions): Promise<number> {
  return cachedState(deps, UNREAD_STATE, userId, () => deps.models.Notification.countDocuments({ userId, readAt: null }), seen);
}

export const NOTIFICATIONS_PAGE_SIZE = 20;

export async function listNotifications(deps: Pick<Deps, "models">, userId: string, page = 1) {
  const skip = (page - 1) * NOTIFICATIONS_PAGE_SIZE;
  const [items, total] = await Promise.all([
    deps.models.Notification.find({ userId }).sort({ createdAt: -1 }).skip(skip).limit(NOTIFICATIONS_PAGE_SIZE).lean(),
    deps.models.Notification.countDocuments({ userId }),
  ]);
  return { items, total, page, pages: Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE)) };
}

/** Marks one of the user's notifications read; another user's id is a 404. */
export async function markRead(deps: Pick<Deps, "models" | "clock">, userId: string, id: string) {
  if (!Types.ObjectId.isValid(id)) throw new NotFoundError();
  const n = await deps.models.Notification.findOneAndUpdate({ _id: id, userId }, { $set: { readAt: deps.clock.now() } }, { returnDocument: "after" }).lean();
  if (!n) throw new NotFoundError();
  return n;
}

export async function markAllRead(deps: Pick<Deps, "models" | "clock">, userId: string): Promise<number> {
  const res = await deps.models.Notification.updateMany({ userId, readAt: null }, { $set: { readAt: deps.clock.now() } });
  return res.modifiedCount;
}

export async function purgeNotifications(deps: Pick<Deps, "models">, before: Date): Promise<number> {
  const res = await deps.models.Notification.deleteMany({ createdAt: op({ $lt: before }) });
  return res.deletedCount;
}

const isoDay = (v: unknown) => (typeof v === "string" || v instanceof Date ? new Date(v).toISOString().slice(0, 10) : "");

/** What each event type tells its user; unknown types are not shown. */
function notificationFor(event: DeliveredEvent): Omit<NewNotification, "dedupeKey"> | null {
  const p = event.payload;
  const userId = String(p.userId ?? "");
  if (!userId) return null;
  switch (event.type) {
    case "user.registered":
      return { userId, type: event.type, title: "notifications.types.welcome.title", body: "notifications.types.welcome.body", link: "/plans" };
    case "payment.approved":
      return {
        userId,
        type: event.type,
        title: "notifications.types.paymentApproved.title",
        body: "notifications.types.paymentApproved.body",
        params: { plan: String(p.plan ?? ""), until: isoDay(p.periodEnd) },
        link: "/browse",
      };
    case "payment.rejected":
      return {
        userId,
        type: event.type,
        title: "notifications.types.paymentRejected.title",
        body: "notifications.types.paymentRejected.body",
        params: { reference: String(p.reference ?? ""), reason: String(p.reason ?? "") },
        link: "/plans",
      };
    case "subscription.expiring":
      return {
        userId,
        type: event.type,
        title: "notifications.types.expiring.title",
        body: "notifications.types.expiring.body",
        params: { until: isoDay(p.periodEnd) },
        link: "/checkout",
      };
    case "title.released":
      return {
        userId,
        type: event.type,
        title: "notifications.types.released.title",
        body: "notifications.types.released.body",
        params: { title: String(p.title ?? ""), profile: String(p.profile ?? "") },
        link: `/title/${encodeURIComponent(String(p.slug ?? ""))}`,
      };
    case "subscription.expired":
      return { userId, type: event.type, title: "notifications.types.expired.title", body: "notifications.types.expired.body", link: "/plans" };
    default:
      return null;
  }
}

export const NOTIFIABLE_EVENTS = ["user.registered", "payment.approved", "payment.rejected", "subscription.expiring", "subscription.expired", "title.released"];

export const notificationConsumer: OutboxConsumer = {
  name: "notifications",
  handles: (type) => NOTIFIABLE_EVENTS.includes(type),
  async handle(deps, event) {
    const n = notificationFor(event);
    if (n) await notifyUser(deps, { ...n, dedupeKey: `notifications:${event.id}` });
  },
};
