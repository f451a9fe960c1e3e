// Per-user session index in Redis: a set of session ids per user, for the devices list and revocation.
import type { Redis } from "../../lib/redis.js";

export const SESSION_PREFIX = "sess:";
const indexKey = (userId: string) => `user-sessions:${userId}`;

export interface StoredSession {
  id: string;
  createdAt?: number;
  lastSeenAt?: number;
  userAgent?: string;
  ip?: string;
}

export async function indexSession(redis: Redis, userId: string, sid: string): Promise<void> {
  await redis.sadd(indexKey(userId), sid);
}

export async function unindexSession(redis: Redis, userId: string, sid: string): Promise<void> {
  await redis.srem(indexKey(userId), sid);
}

/** Live sessions of a user; ids whose session key has expired are pruned from the index. */
export async function listUserSessions(redis: Redis, userId: string): Promise<StoredSession[]> {
  const ids = await redis.smembers(indexKey(userId));
  if (ids.length === 0) return [];
  const raw = await redis.mget(ids.map((id) => SESSION_PREFIX + id));
  const live: StoredSession[] = [];
  const dead: string[] = [];
  ids.forEach((id, i) => {
    const value = raw[i];
    if (!value) return void dead.push(id);
    const data = JSON.parse(value) as { auth?: { createdAt?: number; lastSeenAt?: number; userAgent?: string; ip?: string } };
    live.push({ id, ...data.auth });
  });
  if (dead.length) await redis.srem(indexKey(userId), ...dead);
  return live.sort((a, b) => (b.lastSeenAt ?? 0) - (a.lastSeenAt ?? 0));
}

/** Deletes every session of a user except `keepSid`; returns how many were revoked. */
export async function revokeUserSessions(redis: Redis, userId: string, keepSid?: string): Promise<number> {
  const ids = (await redis.smembers(indexKey(userId))).filter((id) => id !== keepSid);
  if (ids.length === 0) return 0;
  const deleted = await redis.del(...ids.map((id) => SESSION_PREFIX + id));
  await redis.srem(indexKey(userId), ...ids);
  return deleted;
}
