// TMDB v3 client: API key or read token, timeout, retry with backoff on 429/5xx, a circuit breaker,
// responses validated with zod and cached in Redis. Without credentials every call says so clearly.
import { createHash } from "node:crypto";
import type { z } from "zod";
import type { Config } from "../config.js";
import { cacheAside, type CacheDeps } from "./cache.js";
import { CircuitBreaker, CircuitOpenError } from "./circuit-breaker.js";
import { AppError } from "./errors.js";
import { movieSchema, searchSchema, seasonSchema, tvSchema, type TmdbMovie, type TmdbSearch, type TmdbSeason, type TmdbTv } from "./tmdb-schemas.js";

export type { TmdbMovie, TmdbSearch, TmdbSeason, TmdbTv };

export class TmdbError extends AppError {
  constructor(
    status: number,
    messageKey: "catalog.tmdb.notConfigured" | "catalog.tmdb.unavailable" | "catalog.tmdb.badResponse" | "catalog.tmdb.notFound",
    readonly detail?: string,
  ) {
    super(status, messageKey);
  }
}

/** A failure worth retrying (and counting against the breaker): network, timeout, 429, 5xx. */
class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface TmdbClient {
  readonly configured: boolean;
  movie(id: number): Promise<TmdbMovie>;
  tv(id: number): Promise<TmdbTv>;
  tvSeason(id: number, season: number): Promise<TmdbSeason>;
  search(query: string): Promise<TmdbSearch>;
  breakerState(): string;
}

export interface TmdbOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const BACKOFF_BASE_MS = 250;
const MAX_RETRY_AFTER_MS = 5000;

export function createTmdbClient(deps: CacheDeps & { config: Config }, options: TmdbOptions = {}): TmdbClient {
  const cfg = deps.config.tmdb;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const configured = Boolean(cfg.apiKey || cfg.readToken);
  const breaker = new CircuitBreaker({
    name: "tmdb",
    threshold: cfg.breakerThreshold,
    cooldownMs: cfg.breakerCooldownMs,
    isFailure: (err) => err instanceof TransientError,
  });

  async function attempt(url: URL): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (!cfg.apiKey && cfg.readToken) headers.authorization = `Bearer ${cfg.readToken}`;
    let res: Response;
    try {
      res = await doFetch(url, { headers, signal: AbortSignal.timeout(cfg.timeoutMs) });
    } catch (err) {
      throw new TransientError(`TMDB request failed: ${(err as Error).name === "TimeoutError" ? "timeout" : (err as Error).message}`);
    }
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = Number(res.headers.get("retry-after"));
      await res.body?.cancel();
      throw new TransientError(
        `TMDB answered ${res.status}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : undefined,
      );
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new TmdbError(404, "catalog.tmdb.notFound");
    }
    if (!res.ok) {
      await res.body?.cancel();
      // 401/403: a wrong key is a configuration problem, not an outage.
      throw new TmdbError(502, "catalog.tmdb.badResponse", `TMDB answered ${res.status}`);
    }
    try {
      return await res.json();
    } catch {
      throw new TmdbError(502, "catalog.tmdb.badResponse", "not JSON");
    }
  }

  async function withRetries(url: URL): Promise<unknown> {
    for (let tryNo = 0; ; tryNo++) {
      try {
        return await attempt(url);
      } catch (err) {
        if (!(err instanceof TransientError) || tryNo >= cfg.maxRetries) throw err;
        const backoff = err.retryAfterMs ?? BACKOFF_BASE_MS * 2 ** tryNo + Math.floor(Math.random() * 100);
        deps.logger.warn({ err: err.message, tryNo, backoff }, "TMDB call failed; retrying");
        await sleep(backoff);
      }
    }
  }

  async function get<S extends z.ZodType>(path: string, params: Record<string, string>, schema: S): Promise<z.output<S>> {
    if (!configured) throw new TmdbError(503, "catalog.tmdb.notConfigured");
    const url = new URL(`${cfg.baseUrl.replace(/\/$/, "")}/${path}`);
    for (const [k, v] of Object.entries({ language: cfg.language, ...params })) url.searchParams.set(k, v);
    const cacheKey = `tmdb:${createHash("sha256").update(`${path}?${url.searchParams.toString()}`).digest("hex").slice(0, 32)}`;
    if (cfg.apiKey) url.searchParams.set("api_key", cfg.apiKey);
    return cacheAside(deps, { cache: "tmdb", key: cacheKey, ttlSeconds: cfg.cacheTtlSeconds }, async () => {
      let body: unknown;
      try {
        body = await breaker.run(() => withRetries(url));
      } catch (err) {
        if (err instanceof CircuitOpenError) throw new TmdbError(503, "catalog.tmdb.unavailable", "circuit open");
        if (err instanceof TransientError) throw new TmdbError(503, "catalog.tmdb.unavailable", err.message);
        throw err;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new TmdbError(502, "catalog.tmdb.badResponse", parsed.error.issues[0]?.message);
      return parsed.data;
    });
  }

  return {
    configured,
    movie: (id) => get(`movie/${id}`, { append_to_response: "videos,release_dates" }, movieSchema),
    tv: (id) => get(`tv/${id}`, { append_to_response: "videos,content_ratings" }, tvSchema),
    tvSeason: (id, season) => get(`tv/${id}/season/${season}`, {}, seasonSchema),
    search: (query) => get("search/multi", { query, include_adult: "false", page: "1" }, searchSchema),
    breakerState: () => breaker.state,
  };
}
