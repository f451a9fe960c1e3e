// warm-tmdb-cache (every 6 h): refreshes cached TMDB responses and the catalog caches; a no-op without a key.
import type { Deps } from "../deps.js";
import { warmTmdbCache } from "../services/catalog/index.js";

export async function warmTmdbCacheTask(deps: Deps) {
  if (!deps.config.tmdb.apiKey && !deps.config.tmdb.readToken) return { skipped: "no TMDB key configured" };
  return warmTmdbCache(deps);
}
