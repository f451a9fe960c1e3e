// What /browse shows, top to bottom: the profile's own rows (Continue Watching, My List, Because
// you watched) around the catalog's rows that every profile at one maturity level shares (Top 10,
// Trending, New releases, genres). BROWSE_ROWS is the whole order; a new row is a line there.
import type { Deps } from "../../deps.js";
import { getCatalogRows, type BrowseContext, type HeroTitle, type Row } from "../catalog/index.js";
import { listMyList, type TitleState } from "./my-list.js";
import { listContinueWatching, type ProgressScope } from "./progress.js";
import { becauseYouWatchedRows } from "./recommendations.js";

/** A row of the page, shared rows carrying the `stamp` of the catalog rows they came from. */
export type BrowseRow = Row & { stamp?: string };

export interface BrowsePage {
  hero: HeroTitle | null;
  rows: BrowseRow[];
}

/** Who is looking, with the profile's My List and ratings when the page already loaded them. */
export type BrowsePageContext = Omit<BrowseContext, "titleState"> & { titleState?: TitleState } & ProgressScope;

/** The catalog's shared rows for this request (computed once, cached per maturity level and day). */
export type SharedRows = Row[];

/** One place on the page: the rows it contributes (none hides it). */
export interface BrowseRowSource {
  id: string;
  rows: (deps: Deps, ctx: BrowsePageContext, shared: SharedRows) => Promise<Row[]>;
}

const sharedRow = (id: string): BrowseRowSource => ({ id, rows: async (_deps, _ctx, shared) => shared.filter((r) => r.id === id) });

export const BROWSE_ROWS: readonly BrowseRowSource[] = [
  {
    id: "continue-watching",
    rows: async (deps, ctx) => {
      if (!ctx.profile) return [];
      const items = await listContinueWatching(deps, ctx.profile.id, ctx.viewer, ctx);
      return [{ id: "continue-watching", titleKey: "watch.continueWatching", vars: { name: ctx.profile.name }, items, kind: "progress" }];
    },
  },
  {
    id: "my-list",
    rows: async (deps, ctx) => {
      if (!ctx.profile) return [];
      const items = await listMyList(deps, ctx.profile.id, ctx.viewer, 20, ctx.titleState);
      return [{ id: "my-list", titleKey: "my-list.row", items, kind: "standard", href: "/my-list" }];
    },
  },
  sharedRow("top10"),
  sharedRow("trending"),
  {
    id: "because-you-watched",
    rows: async (deps, ctx) => {
      if (!ctx.profile) return [];
      return becauseYouWatchedRows(deps, ctx.profile.id, ctx.viewer, ctx, ctx.titleState);
    },
  },
  sharedRow("new"),
  { id: "genres", rows: async (_deps, _ctx, shared) => shared.filter((r) => r.id.startsWith("genre-")) },
];

/** Every source in parallel, in list order; a source that throws is logged and left out. */
export async function buildBrowsePage(deps: Deps, ctx: BrowsePageContext, sources: readonly BrowseRowSource[] = BROWSE_ROWS): Promise<BrowsePage> {
  const catalog = await getCatalogRows(deps, ctx.viewer, deps.clock.now());
  const shared = catalog.rows.map((row) => ({ ...row, stamp: catalog.stamp }));
  const parts = await Promise.all(
    sources.map(async (source) => {
      try {
        return await source.rows(deps, ctx, shared);
      } catch (err) {
        deps.logger.error({ err, row: source.id }, "browse row failed; row skipped");
        return [];
      }
    }),
  );
  return { hero: catalog.hero, rows: parts.flat().filter((row) => row.items.length > 0) };
}
