// warm-tmdb-cache (every 6 h): refreshes cached TMDB responses for the catalog; a no-op without a key.
import type { Deps } from "../lib/deps.js";

type WarmCache = (deps: Deps) => Promise<Record<string, unknown>>;

// Loaded on demand: the catalog's TMDB module pulls in the HTTP client, which the other jobs never need.
const CATALOG_MODULES = ["../services/catalog-admin.js", "../services/catalog-tmdb.js", "../services/catalog-import.js"];
const EXPORT_NAMES = ["warmTmdbCache", "warmCache", "warmCatalogCache"];

async function findWarmCache(): Promise<WarmCache | undefined> {
  for (const path of CATALOG_MODULES) {
    const mod = (await import(path).catch(() => undefined)) as Record<string, unknown> | undefined;
    const fn = EXPORT_NAMES.map((n) => mod?.[n]).find((f) => typeof f === "function");
    if (fn) return fn as WarmCache;
  }
  return undefined;
}

export async function warmTmdbCacheTask(deps: Deps) {
  if (!deps.config.tmdb.apiKey && !deps.config.tmdb.readToken) return { skipped: "no TMDB key configured" };
  const warm = await findWarmCache();
  if (!warm) return { skipped: "catalog TMDB warm-up not available" };
  return warm(deps);
}
