// Where a `next` parameter may send the user: only paths on this site, never another origin.

// Control characters, whitespace (browsers drop tabs and newlines inside URLs) and backslashes
// (browsers read "\" as "/") never belong in a path we send back.
const UNSAFE_CHARACTERS = /[\s\\\p{Cc}]/u;

/**
 * `next` as a path on this site, or `fallback`. The check runs on the normalised form, the one a
 * browser would follow: "/.//evil.example" and "/a/..//evil.example" collapse to
 * "//evil.example", a protocol-relative URL, so checking the raw string is not enough.
 */
export function safeNextPath(next: unknown, fallback = "/browse"): string {
  if (typeof next !== "string" || next.length > 500) return fallback;
  if (!next.startsWith("/") || UNSAFE_CHARACTERS.test(next)) return fallback;
  let normalised: string;
  try {
    const url = new URL(next, "http://local.invalid");
    if (url.origin !== "http://local.invalid") return fallback;
    normalised = url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
  // Exactly one leading slash after normalisation, and nothing a browser would reinterpret.
  if (!/^\/(?![/\\])/.test(normalised) || UNSAFE_CHARACTERS.test(normalised)) return fallback;
  return normalised;
}
