// Search: title word prefixes (accent-insensitive, via stored search keys), genre and year filters.
import { cacheInNamespace } from "../../lib/cache.js";
import { op } from "../../lib/db.js";
import { viewerLevel, type Viewer } from "../../lib/maturity.js";
import { queryKeys } from "../../lib/search-keys.js";
import { catalogNamespace, toCard, visibleFilter, type CatalogDeps, type TitleCard } from "./titles.js";
import { getCatalogIndex } from "./catalog-index.js";
import type { Title } from "../../models/title.js";

export const SEARCH_LIMIT = 48;

export interface SearchInput {
  q?: string;
  genre?: string;
  year?: number;
}

export interface SearchResult {
  /** False when nothing was asked yet: the page shows suggestions instead of "no results". */
  asked: boolean;
  items: TitleCard[];
}

/**
 * Every word typed must be the start of some word of the title (or its original title), so
 * "nig liv" finds "Night of the Living Dead" and "dem" finds "Đêm". Results are most popular first.
 */
export async function searchTitles(deps: CatalogDeps, viewer: Viewer | undefined, input: SearchInput): Promise<SearchResult> {
  const keys = queryKeys(input.q ?? "");
  if (keys.length === 0 && !input.genre && !input.year) return { asked: false, items: [] };
  const extra: Record<string, unknown> = {};
  if (keys.length > 0) extra.searchKeys = op({ $all: keys });
  if (input.genre) extra.genres = input.genre;
  if (input.year) extra.year = input.year;
  const items = await cacheInNamespace(
    deps,
    catalogNamespace(deps),
    {
      cache: "catalog-search",
      key: `search:${viewerLevel(viewer)}:${keys.join(" ")}|${input.genre ?? ""}|${input.year ?? ""}`,
      ttlSeconds: deps.config.catalog.rowsTtlSeconds,
    },
    async () => {
      const docs = await deps.models.Title.find(visibleFilter(viewer, extra))
        .sort({ popularity: -1, _id: -1 })
        .limit(SEARCH_LIMIT)
        .select("kind slug title year maturity runtimeMin genres posterUrl backdropUrl seasons.number")
        .lean();
      return docs.map((d) => toCard(d as Title & { _id: unknown }));
    },
  );
  return { asked: true, items };
}

/** Years that have published titles, newest first, for the year filter (read with the catalog index). */
export async function listCatalogYears(deps: CatalogDeps, viewer: Viewer | undefined): Promise<number[]> {
  return (await getCatalogIndex(deps, viewer)).years;
}
