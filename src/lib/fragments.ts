// Rendered HTML fragments kept in this process, for the parts of pages that many requests share
// (the catalog rows of /browse), and the page assembly that sends them without re-rendering or
// re-encoding: a fragment is stored as UTF-8 Buffers, and the page around it is spliced in.
//
// The caller's key names everything the fragment depends on except the locale, which is added
// here, and the request's CSRF token: fragments are rendered with a per-process random slot in
// its place and the token goes in on the way out, so a cached fragment carries nobody's token.
// Keys change when the content does (see CatalogRows.stamp, contentKey), so nothing here is
// invalidated; the LRU's byte bound keeps memory flat.
import { hash, randomBytes } from "node:crypto";
import type { Response } from "express";
import { LRUCache } from "lru-cache";
import { renderFragment } from "./views.js";

const NONCE = randomBytes(12).toString("hex");
const CSRF_SLOT = `csrf-slot-${NONCE}`;
// Plain text that escaping leaves alone, so views print slots with <%= %> like any value.
const MARKER = new RegExp(`fragment-slot-${NONCE}-(\\d+)`);

/** A rendered fragment: its bytes between the places the request's CSRF token goes. */
export type Fragment = readonly Buffer[];

/** Rendered fragments kept by this process (built in deps.ts); the LRU bound keeps memory flat. */
export type FragmentCache = LRUCache<string, Fragment>;

export function createFragmentCache(maxBytes = 16 * 1024 * 1024): FragmentCache {
  return new LRUCache<string, Fragment>({
    maxSize: maxBytes,
    sizeCalculation: (parts) =>
      Math.max(
        1,
        parts.reduce((n, part) => n + part.length, 0),
      ),
  });
}

/**
 * A key naming `data` by its content: for fragments whose inputs have no version of their own
 * (a profile's rows, built from its history on each request), the digest of what the view
 * will print is the version. Equal data renders equal HTML, so the render happens once.
 */
export function contentKey(data: unknown): string {
  return hash("sha256", JSON.stringify(data), "base64");
}

/**
 * The pieces as views into one buffer of their own. Buffer.from of a small string takes a slice
 * of a shared 8 KB pool, and a kept slice keeps its whole slab alive: thousands of cached
 * fragments cut into small pieces held far more memory than their bytes.
 */
function encodeOnce(pieces: string[]): Fragment {
  const joined = pieces.join("");
  const whole = Buffer.allocUnsafeSlow(Buffer.byteLength(joined));
  whole.write(joined);
  let at = 0;
  return pieces.map((piece) => {
    const end = at + Buffer.byteLength(piece);
    const view = whole.subarray(at, end);
    at = end;
    return view;
  });
}

/** `view` rendered with the request's locals and `data`, rendered once per `key` and locale. */
export function cachedFragment(fragments: FragmentCache, res: Response, key: string, view: string, data: Record<string, unknown>): Fragment {
  const fullKey = `${res.locals.locale as string}|${view}|${key}`;
  let fragment = fragments.get(fullKey);
  if (fragment === undefined) {
    fragment = encodeOnce(renderFragment(res, view, { ...data, csrfToken: CSRF_SLOT }).split(CSRF_SLOT));
    fragments.set(fullKey, fragment);
  }
  return fragment;
}

/**
 * Sends `view` as the page, with `slots` (an array of plain-text markers the view prints, one per
 * fragment, in order) standing in for the fragments until the rendered page is spliced.
 */
export function sendWithFragments(res: Response, view: string, data: Record<string, unknown>, slotsName: string, list: Fragment[], status = 200): void {
  const slots = list.map((_, i) => `fragment-slot-${NONCE}-${i}`);
  const page = renderFragment(res, view, { ...data, [slotsName]: slots }).split(MARKER);
  const token = Buffer.from((res.locals.csrfToken as string | undefined) ?? "");
  const out: Buffer[] = [];
  // split() with a capture group alternates: page text, fragment index, page text, ...
  page.forEach((piece, i) => {
    if (i % 2 === 0) return void out.push(Buffer.from(piece));
    list[Number(piece)]!.forEach((part, j) => (j === 0 ? out.push(part) : out.push(token, part)));
  });
  res.status(status).type("html").send(Buffer.concat(out));
}
