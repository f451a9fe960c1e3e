// Browse row providers: the extension point for rows computed per profile (Continue Watching,
// My List, Because you watched X), merged with the catalog's own rows by their order number.
//
// How to add a row from another feature:
//
//   import { registerBrowseRowProvider } from "../services/browse-rows.js";
//   registerBrowseRowProvider({
//     id: "my-list",
//     order: 15,                       // lower comes first; see ROW_ORDER for the built-in slots
//     provide: async (deps, { viewer, profileId, userId, locale }) => {
//       if (!profileId) return null;   // null (or a row with no items) hides the row
//       const ids = ...;               // your own query, newest first
//       const items = await getTitleCardsByIds(deps, viewer, ids); // applies drafts + maturity ceiling
//       return { id: "my-list", titleKey: "myList.row", items, kind: "standard", href: "/my-list" };
//     },
//   });
//
// Registering the same id again replaces the provider (safe when several apps are created, as
// in tests). A provider that throws is logged and skipped: one broken row never breaks /browse.
// The catalog's own rows (Top 10, Trending, New releases, genres) sit at the ROW_ORDER slots.
// Rows: `titleKey` (+ `vars`) is a translation key rendered by the page; `title` is literal text
// (escaped). Cards may carry `progress` (0..1) for kind "progress" and `href` to link elsewhere
// (a resume URL). Row ids become element ids, so keep them [a-z0-9-].
import type { Deps } from "../lib/deps.js";
import type { Locale } from "../lib/i18n.js";
import type { TitleState } from "./my-list.js";
import type { Viewer } from "../lib/maturity.js";
import type { TitleCard } from "./catalog.js";

export interface Row {
  id: string;
  titleKey?: string;
  vars?: Record<string, string | number>;
  title?: string;
  items: TitleCard[];
  kind?: "progress" | "top10" | "standard";
  /** "See all" link for the row header (a genre page, My List). */
  href?: string;
  /** Rendered as a placeholder that loads itself (GET /browse/rows/:id) when scrolled into view. */
  lazy?: boolean;
}

export interface BrowseContext {
  viewer: Viewer;
  /** Who is watching (none on pages without a chosen profile). */
  profile: { id: string; name: string } | null;
  userId: string;
  locale: Locale;
  /** The profile's My List and ratings, when the page already loaded them (saves providers a query). */
  titleState?: TitleState;
}

export type BrowseRowProviderFn = (deps: Deps, ctx: BrowseContext) => Promise<Row | Row[] | null>;

export interface BrowseRowProvider {
  id: string;
  order: number;
  provide: BrowseRowProviderFn;
}

/** Slots of the built-in rows; other features pick numbers between them. */
export const ROW_ORDER = {
  continueWatching: 10,
  myList: 15,
  top10: 20,
  trending: 30,
  becauseYouWatched: 35,
  newReleases: 40,
  genres: 100,
} as const;

const providers = new Map<string, BrowseRowProvider>();

export function registerBrowseRowProvider(provider: BrowseRowProvider): void {
  providers.set(provider.id, provider);
}

export function unregisterBrowseRowProvider(id: string): void {
  providers.delete(id);
}

export interface OrderedRow {
  order: number;
  row: Row;
}

/** Runs every registered provider in parallel; returns the non-empty rows with their order. */
export async function collectProviderRows(deps: Deps, ctx: BrowseContext): Promise<OrderedRow[]> {
  const results = await Promise.all(
    [...providers.values()].map(async (p) => {
      try {
        const out = await p.provide(deps, ctx);
        const rows = out === null ? [] : Array.isArray(out) ? out : [out];
        return rows.map((row) => ({ order: p.order, row }));
      } catch (err) {
        deps.logger.error({ err, provider: p.id }, "browse row provider failed; row skipped");
        return [];
      }
    }),
  );
  return results.flat().filter((r) => r.row.items.length > 0);
}
