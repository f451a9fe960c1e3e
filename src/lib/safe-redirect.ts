// Where a `next` parameter may send the user: only paths on this site, never another origin.

export function safeNextPath(next: unknown, fallback = "/browse"): string {
  if (typeof next !== "string" || next.length > 500) return fallback;
  // One leading slash, no "//" or "/\" (protocol-relative), no scheme, no control characters.
  if (!/^\/(?![/\\])[^\s\\]*$/.test(next)) return fallback;
  try {
    const url = new URL(next, "http://local.invalid");
    if (url.origin !== "http://local.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
