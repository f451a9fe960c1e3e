// The shapes /browse is made of: a row of title cards, and who is looking at it. The page's rows,
// in order, are listed in services/watching/browse-page.ts.
// Rows: `titleKey` (+ `vars`) is a translation key rendered by the page; `title` is literal text
// (escaped). Cards may carry `progress` (0..1) for kind "progress" and `href` to link elsewhere
// (a resume URL). Row ids become element ids, so keep them [a-z0-9-].
import type { Locale } from "../../lib/i18n.js";
import type { Viewer } from "../../lib/maturity.js";
import type { TitleCard } from "./titles.js";

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

/** What the catalog needs to know of a profile's My List (the watching domain's TitleState has it). */
export interface ListedState {
  listed: ReadonlySet<string>;
}

export interface BrowseContext {
  viewer: Viewer;
  /** Who is watching (none on pages without a chosen profile). */
  profile: { id: string; name: string } | null;
  userId: string;
  locale: Locale;
  /** The profile's My List and ratings, when the page already loaded them (saves the rows a query). */
  titleState?: ListedState;
}
