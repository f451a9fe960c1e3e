// Cache warming: fills Redis with the rows, first genre pages and title details every maturity
// ceiling will ask for, and refreshes cached TMDB responses of imported titles when TMDB is set up.
import type { Deps } from "../../deps.js";
import type { Viewer } from "../../lib/maturity.js";
import { getTitleDetail, listGenrePage } from "./titles.js";
import { GENRES } from "./genres.js";
import { getCatalogRows } from "./rows.js";

/** One viewer per level of the maturity scale, so every kids ceiling gets a warm cache. */
const VIEWERS: Viewer[] = [{ maxMaturity: "TV-Y" }, { maxMaturity: "G" }, { maxMaturity: "PG" }, { maxMaturity: "PG-13" }, { maxMaturity: "R" }, {}];

export interface WarmSummary {
  rows: number;
  genrePages: number;
  titles: number;
  tmdb: number;
  tmdbSkipped: boolean;
  failed: number;
}

const WARM_CONCURRENCY = 4;

type WarmDeps = Pick<Deps, "models" | "redis" | "logger" | "clock" | "config" | "tmdb" | "cache">;

export async function warmCatalogCache(deps: WarmDeps, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<WarmSummary> {
  const titles = await deps.models.Title.find({ status: "published" }).select("slug kind source.tmdbId").lean();
  const client = deps.tmdb;
  const imported = client.configured ? titles.filter((t) => t.source?.tmdbId) : [];
  const tasks: (() => Promise<unknown>)[] = [];
  const summary: WarmSummary = { rows: 0, genrePages: 0, titles: 0, tmdb: 0, tmdbSkipped: !client.configured, failed: 0 };
  const now = deps.clock.now();
  for (const viewer of VIEWERS) {
    tasks.push(() => getCatalogRows(deps, viewer, now).then(() => summary.rows++));
    for (const genre of GENRES) tasks.push(() => listGenrePage(deps, viewer, genre).then(() => summary.genrePages++));
  }
  for (const t of titles) tasks.push(() => getTitleDetail(deps, {}, t.slug).then(() => summary.titles++));
  for (const t of imported) {
    const id = t.source.tmdbId!;
    tasks.push(() => (t.kind === "movie" ? client.movie(id) : client.tv(id)).then(() => summary.tmdb++));
  }
  // A few at a time: fast enough for a CLI run, gentle enough on a live database.
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (err) {
        // One failed entry (TMDB down, a title deleted meanwhile) does not stop the rest.
        summary.failed++;
        deps.logger.warn({ err: (err as Error).message }, "cache warm step failed");
      }
      opts.onProgress?.(++done, tasks.length);
    }
  };
  await Promise.all(Array.from({ length: WARM_CONCURRENCY }, worker));
  return summary;
}
