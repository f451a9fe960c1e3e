// Addresses an editor may give for posters, backdrops, streams and trailers.

// Browsers drop tabs and newlines inside URLs ("java\tscript:") and read "\" as "/".
const UNSAFE_CHARACTERS = /[\s\\\p{Cc}]/u;

/**
 * An absolute http(s) URL with a host, or a path on this site (one leading slash, so never a
 * protocol-relative "//host"). Everything else (javascript:, data:, file:, relative paths) is
 * refused: these values end up in src attributes and in the player.
 */
export function isSafeMediaUrl(value: string): boolean {
  if (UNSAFE_CHARACTERS.test(value)) return false;
  if (value.startsWith("/")) return !value.startsWith("//");
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** A YouTube video id: 11 characters of the URL-safe base64 alphabet. */
export const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
