// Loads the bundled demo catalog: idempotent upserts by slug, then one cache invalidation.
import { existsSync } from "node:fs";
import path from "node:path";
import { demoComingSoon, demoSubtitleTracks, demoTitles } from "./demo/index.js";
import { demoStreamDir } from "./demo/streams.js";
import { mediaRoot } from "../../lib/media-storage.js";
import type { Deps } from "../../deps.js";
import { invalidateCatalogCache } from "./titles.js";
import { upsertTitleBySlug } from "./title-admin.js";
import { recordAudit, SYSTEM, type Acting } from "../ops/index.js";

export interface SeedSummary {
  total: number;
  created: number;
  updated: number;
}

type SeedDeps = Pick<Deps, "models" | "redis" | "logger" | "clock" | "config" | "cache">;

/**
 * Inserts missing demo titles (published, and two announced as Coming soon) and refreshes the facts of existing ones; titles an
 * operator unpublished stay unpublished. `onProgress` drives the CLI progress bar.
 */
export async function seedDemoCatalog(deps: SeedDeps, opts: { by?: Acting; onProgress?: (done: number, total: number) => void } = {}): Promise<SeedSummary> {
  const root = mediaRoot(deps.config);
  const hasOwnStream = (slug: string) => existsSync(path.join(root, demoStreamDir(slug), "master.m3u8"));
  const titles = demoTitles(hasOwnStream);
  let created = 0;
  for (const [i, title] of titles.entries()) {
    if ((await upsertTitleBySlug(deps, title, "published")).created) created++;
    if (hasOwnStream(title.slug)) {
      const keys = title.kind === "series" ? (title.seasons ?? []).flatMap((s) => s.episodes.map((e) => `s${s.number}e${e.number}`)) : ["main"];
      await deps.models.Title.updateOne({ slug: title.slug }, { $set: { subtitles: demoSubtitleTracks(title.slug, keys) } });
    }
    opts.onProgress?.(i + 1, titles.length);
  }
  // Coming soon: announced on first seeding with a date a few days ahead (kept when re-seeding).
  for (const title of demoComingSoon(deps.clock.now())) if ((await upsertTitleBySlug(deps, title, "announced")).created) created++;
  await invalidateCatalogCache(deps);
  const total = titles.length + demoComingSoon(deps.clock.now()).length;
  const summary = { total, created, updated: total - created };
  await recordAudit(deps, { ...(opts.by ?? SYSTEM), action: "catalog.seed", details: { ...summary } });
  return summary;
}

/** Start-up seeding (SEED_DEMO_CATALOG=true): only an empty catalog is filled. */
export async function seedDemoCatalogIfEmpty(deps: SeedDeps): Promise<SeedSummary | null> {
  if (await deps.models.Title.exists({})) return null;
  const summary = await seedDemoCatalog(deps);
  deps.logger.info(summary, "demo catalog seeded");
  return summary;
}
