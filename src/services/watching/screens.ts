// Screens: how many streams an account plays at once. Each playback holds a lease in Redis (one per
// signed-in device), renewed by its progress saves and the player's heartbeat; a lease nobody
// renews ends after SCREEN_LEASE_MS. The plan's screen count (billing) is passed in by the caller.
import { createHash } from "node:crypto";
import type { Deps } from "../../deps.js";

/** A lease nobody renews frees its screen after this long (the player renews every 20 s). */
export const SCREEN_LEASE_MS = 60_000;
/** A stream stopped from another device stays refused this long (its player learns on its next renewal). */
const STOPPED_MS = 10 * 60_000;

/** What a lease records of its stream (in Redis, `since` in epoch ms). */
interface StreamInfo {
  profileId: string;
  profileName: string;
  device: string;
  title: string;
  /** The title's slug and episode key, so a listing can link to it. */
  slug: string;
  episodeKey: string;
  since: number;
}

export type ActiveStream = Omit<StreamInfo, "since"> & { leaseId: string; since: Date; current: boolean };

const leasesKey = (userId: string) => `screens:${userId}`;
const infoKey = (userId: string) => `screens:${userId}:info`;
const stoppedKey = (leaseId: string) => `screens:stopped:${leaseId}`;

/** A device's lease id: a hash of its session id (the id itself is the cookie secret). */
export function screenLeaseId(sessionId: string): string {
  return createHash("sha256").update(`screen:${sessionId}`).digest("base64url").slice(0, 22);
}

// Drops expired leases, then takes (or keeps) this one if there is room. One atomic step, so two
// devices starting together cannot both take the last screen.
// KEYS: leases, info, stopped marker. ARGV: lease id, now, ttl, limit, info json, mode.
// mode "start" (a new playback) clears a stop; "renew" refuses a stopped lease.
// Returns 1 (held), 0 (no screen free), -1 (stopped from another device).
const ACQUIRE = `
local now = tonumber(ARGV[2])
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('HDEL', KEYS[2], unpack(expired))
end
if ARGV[6] == 'start' then
  redis.call('DEL', KEYS[3])
elseif redis.call('EXISTS', KEYS[3]) == 1 then
  return -1
end
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not held and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
if ARGV[5] ~= '' then
  local info = cjson.decode(ARGV[5])
  local old = held and redis.call('HGET', KEYS[2], ARGV[1])
  if old then
    local prev = cjson.decode(old)
    -- The same playback renewed: it keeps its start time.
    if prev.slug == info.slug and prev.episodeKey == info.episodeKey then info.since = prev.since end
  end
  redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(info))
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) * 2)
return 1`;

// Renews a lease only if it is still held (a progress save never takes a new screen).
const RENEW = `
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not held or tonumber(held) <= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) * 2)
return 1`;

export type LeaseResult = "held" | "full" | "stopped";

export interface StreamStart {
  profileId: string;
  profileName: string;
  device: string;
  title: string;
  slug: string;
  episodeKey: string;
}

function toResult(code: unknown): LeaseResult {
  const n = Number(code);
  return n === 1 ? "held" : n === -1 ? "stopped" : "full";
}

/**
 * Takes a screen for this device's playback (a watch page load: mode "start"), or keeps it (the
 * player's heartbeat: mode "renew", refused once the stream was stopped from another device).
 */
export async function acquireScreen(
  deps: Pick<Deps, "redis" | "clock">,
  userId: string,
  leaseId: string,
  limit: number,
  stream: StreamStart,
  mode: "start" | "renew",
): Promise<LeaseResult> {
  const now = deps.clock.now().getTime();
  const info: StreamInfo = { ...stream, since: now };
  const code = await deps.redis.eval(
    ACQUIRE,
    3,
    leasesKey(userId),
    infoKey(userId),
    stoppedKey(leaseId),
    leaseId,
    String(now),
    String(SCREEN_LEASE_MS),
    String(Math.max(1, limit)),
    JSON.stringify(info),
    mode,
  );
  return toResult(code);
}

/** A progress save renews its device's lease if it still holds one; returns whether it did. */
export async function renewScreen(deps: Pick<Deps, "redis" | "clock">, userId: string, leaseId: string): Promise<boolean> {
  const now = deps.clock.now().getTime();
  const code = await deps.redis.eval(RENEW, 2, leasesKey(userId), infoKey(userId), leaseId, String(now), String(SCREEN_LEASE_MS));
  return Number(code) === 1;
}

/** The account's live streams, oldest first. */
export async function listStreams(deps: Pick<Deps, "redis" | "clock">, userId: string, currentLeaseId: string): Promise<ActiveStream[]> {
  const now = deps.clock.now().getTime();
  const ids = await deps.redis.zrangebyscore(leasesKey(userId), `(${now}`, "+inf");
  if (ids.length === 0) return [];
  const raw = await deps.redis.hmget(infoKey(userId), ...ids);
  const streams: ActiveStream[] = [];
  ids.forEach((leaseId, i) => {
    const json = raw[i];
    if (!json) return;
    const info = JSON.parse(json) as StreamInfo;
    streams.push({ leaseId, ...info, since: new Date(info.since), current: leaseId === currentLeaseId });
  });
  return streams.sort((a, b) => a.since.getTime() - b.since.getTime());
}

/**
 * Ends another device's stream: its screen is free at once, and its player is refused on its next
 * renewal (within a heartbeat) until that device starts a new playback. Returns false when the
 * lease was not there.
 */
export async function stopStream(deps: Pick<Deps, "redis">, userId: string, leaseId: string): Promise<boolean> {
  // Only this account's leases: an id from elsewhere stops nothing.
  if ((await deps.redis.zscore(leasesKey(userId), leaseId)) === null) return false;
  await deps.redis.multi().zrem(leasesKey(userId), leaseId).hdel(infoKey(userId), leaseId).set(stoppedKey(leaseId), "1", "PX", STOPPED_MS).exec();
  return true;
}
