// What /browse shows, top to bottom: the profile's own rows (Continue Watching, My List, Because
// you watched) around the catalog's rows that every profile at one maturity level shares (Top 10,
// Trending, New releases, genres). BROWSE_ROWS is the whole order; a new row is a line there.
import type { Deps } from "../../deps.js";
import { catalogGeneration, getCatalogRows, type BrowseContext, type HeroTitle, type Row } from "../catalog/index.js";
import { listMyList, type TitleState } from "./my-list.js";
import { listContinueWatching, PROGRESS_STATE, type ProgressScope } from "./progress.js";
import { bufferVersion } from "./progress-rows.js";
import { noteStateVersions, UNVERSIONED, type SeenVersions } from "../../lib/state-cache.js";
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

/**
 * Rows drawn in the page itself: about two screens. The catalog's rows after them are sent as
 * placeholders that load themselves when scrolled into view (GET /browse/rows/:id), so the page
 * is about the same size for every profile: a returning viewer's own rows (Continue Watching, My
 * List, Because you watched) take the places a new profile's catalog rows have, instead of
 * adding 50-100 cards to it. A profile's own rows are always drawn (they have no fragment URL).
 */
export const EAGER_ROWS = 5;

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
  const rows: BrowseRow[] = parts.flat().filter((row) => row.items.length > 0);
  return { hero: catalog.hero, rows: rows.map((row, i) => (i >= EAGER_ROWS && row.stamp !== undefined ? { ...row, lazy: true } : row)) };
}

/**
 * The version of everything a profile's page is built from, for keeping the rendered page (see
 * routes/middleware/kept-page): `seen` (what the request has already read: the user, the
 * profiles, My List and ratings, the unread count), then the profile's stored and buffered
 * progress, noted here before anything reads them, and the catalog's part. Null when a part has
 * no version (Redis failing): the page is built afresh and nothing is kept.
 */
async function pageVersion(deps: Deps, ctx: BrowsePageContext, seen: SeenVersions, catalog: Promise<string | null>): Promise<string | null> {
  if (!ctx.profile) return null;
  const profileId = ctx.profile.id;
  const own: SeenVersions = [];
  const [buffered, catalogVersion] = await Promise.all([
    bufferVersion(deps, profileId).catch(() => UNVERSIONED),
    catalog,
    noteStateVersions(deps, [{ scope: PROGRESS_STATE, owner: profileId }], own),
  ]);
  const all = [
    ...seen,
    ...own,
    buffered === UNVERSIONED ? UNVERSIONED : `buffer:${profileId}=${buffered}`,
    catalogVersion === null ? UNVERSIONED : `catalog=${catalogVersion}`,
  ];
  return all.includes(UNVERSIONED) ? null : all.join("|");
}

/** /browse: the catalog's part is its rows' stamp (Top 10 and Trending move with plays, and daily). */
export function browsePageVersion(deps: Deps, ctx: BrowsePageContext, seen: SeenVersions): Promise<string | null> {
  return pageVersion(
    deps,
    ctx,
    seen,
    getCatalogRows(deps, ctx.viewer, deps.clock.now()).then((rows) => rows.stamp),
  );
}

/**
 * Pages built from titles alone (a title, a genre, search): the catalog's generation, which every
 * title write moves, and the hour, for what changes with time alone (a release date reached).
 */
export function titlesPageVersion(deps: Deps, ctx: BrowsePageContext, seen: SeenVersions): Promise<string | null> {
  const hour = Math.floor(deps.clock.now().getTime() / 3_600_000);
  return pageVersion(
    deps,
    ctx,
    seen,
    catalogGeneration(deps).then((gen) => (gen === null ? null : `${gen}@${hour}`)),
  );
}
