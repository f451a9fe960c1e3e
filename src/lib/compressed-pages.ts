// Compressed HTML pages, kept two ways:
// - By content: a page sent twice with the same bytes is compressed once. Brotli costs more CPU
//   than rendering a 100-200 KB page from cached fragments; a SHA-256 of the body costs a small
//   fraction of it. A page whose content changed in any byte is simply a new entry.
// - By version (sendStoredPage): a page built only from versioned state (a profile's /browse, see
//   lib/state-cache SeenVersions) is kept under a key naming every version it was built from, and
//   sent again without being built, rendered, hashed or compressed while none of them changes.
// Nothing here is ever invalidated: keys change when content does, and the LRU's byte bound
// keeps memory flat.
//
// Everything that is not a whole HTML body sent with res.send (static files, JSON, streams) is
// left to the `compression` middleware, which skips responses that already carry an encoding.
import { hash } from "node:crypto";
import zlib from "node:zlib";
import type { Request, RequestHandler, Response } from "express";
import { LRUCache } from "lru-cache";

/** Below this, compression saves too little to pay for itself (the `compression` default). */
const THRESHOLD = 1024;

type Encoding = "br" | "gzip";

/** A compressed body; a kept page also keeps the headers the route set for it (Vary, Cache-Control). */
interface Compressed {
  body: Buffer;
  headers?: [string, string][];
}

/** Compressed bodies by encoding and digest of the uncompressed body (or a kept page's key). */
export type CompressedPages = LRUCache<string, Compressed>;

export function createCompressedPages(maxBytes = 16 * 1024 * 1024): CompressedPages {
  // Counted as the memory the body holds (its whole ArrayBuffer), which `exactCopy` keeps equal to its length.
  return new LRUCache<string, Compressed>({ maxSize: maxBytes, sizeCalculation: (c) => Math.max(1, c.body.buffer.byteLength) });
}

/**
 * zlib's synchronous output is a view into a 64 KB chunk: a kept 8 KB page would hold all of it,
 * and thousands of kept pages held several times the cache's byte bound. A copy of its own (not
 * from Buffer's shared 8 KB pool, whose slabs a kept slice would pin the same way) holds its bytes.
 */
function exactCopy(out: Buffer): Buffer {
  if (out.buffer.byteLength === out.length) return out;
  const copy = Buffer.allocUnsafeSlow(out.length);
  out.copy(copy);
  return copy;
}

/** The headers of a response that a kept page is sent again with. */
const KEPT_HEADERS = ["Cache-Control", "Vary"];

/**
 * The body compressed with `encoding`, from the cache when it was compressed before under `key`
 * (by default the body's digest). Synchronous, like res.send itself: a response is never
 * half-sent while another answer (the request deadline's 503) races it, and a miss costs about a
 * millisecond per 100 KB once.
 */
export function compressedBody(
  pages: CompressedPages,
  encoding: Encoding,
  body: Buffer,
  key = `${body.length}:${hash("sha256", body, "base64")}`,
  headers?: [string, string][],
): Buffer {
  const fullKey = `${encoding}:${key}`;
  let out = pages.get(fullKey)?.body;
  if (!out) {
    const compressed =
      encoding === "br"
        ? zlib.brotliCompressSync(body, {
            // Quality 5: a page is compressed once and sent many times; on a 240 KB /browse it is 15%
            // smaller than quality 4 (the `compression` middleware's) for about 0.5 ms more, once;
            // quality 7 and up cost several times more for 1-3% less. A window just large enough
            // for the page (not the default 4 MB): the same output for pages up to it, and far
            // smaller allocations on every compression.
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              [zlib.constants.BROTLI_PARAM_LGWIN]: Math.min(22, Math.max(16, Math.ceil(Math.log2(body.length + 1)))),
            },
          })
        : zlib.gzipSync(body);
    out = exactCopy(compressed);
    pages.set(fullKey, { body: out, headers });
  }
  return out;
}

/** The encoding a page goes out in for this request, as the `compression` middleware picks it. */
function pageEncoding(req: Request): Encoding | "identity" | false {
  return req.method === "GET" ? (req.acceptsEncodings("br", "gzip", "identity") as Encoding | "identity" | false) : false;
}

const storedKey = (key: string) => `page:${key}`;

/**
 * Sends the page kept under `key` (see the top of this file) and returns true; otherwise returns
 * false and marks the response so that the page the route goes on to send is kept under `key`.
 * Only compressed pages are kept: a client that takes none gets the page built each time.
 */
export function sendStoredPage(pages: CompressedPages, req: Request, res: Response, key: string): boolean {
  const encoding = pageEncoding(req);
  if (encoding !== "br" && encoding !== "gzip") return false;
  const kept = pages.get(`${encoding}:${storedKey(key)}`);
  if (!kept) {
    res.locals.storedPageKey = storedKey(key);
    return false;
  }
  for (const [name, value] of kept.headers ?? []) res.setHeader(name, value);
  res.vary("Accept-Encoding");
  res.type("html");
  res.setHeader("Content-Encoding", encoding);
  res.send(kept.body);
  return true;
}

function isHtml(res: Response, body: unknown): boolean {
  const type = res.get("Content-Type");
  return type === undefined ? typeof body === "string" : type.startsWith("text/html");
}

/**
 * Compresses HTML bodies given to res.send through `pages`. Mounted before the `compression`
 * middleware handles the rest; answers exactly as it would (Vary, Content-Encoding, threshold,
 * no HEAD bodies, `no-transform` respected).
 */
export function compressPages(pages: CompressedPages): RequestHandler {
  return (req, res, next) => {
    const encoding = pageEncoding(req);
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      res.vary("Accept-Encoding");
      const eligible =
        (encoding === "br" || encoding === "gzip") &&
        (typeof body === "string" || Buffer.isBuffer(body)) &&
        isHtml(res, body) &&
        !res.get("Content-Encoding") &&
        !/\bno-transform\b/.test(String(res.get("Cache-Control") ?? "")) &&
        res.statusCode !== 204 &&
        res.statusCode !== 304;
      if (!eligible) return send(body);
      const raw = typeof body === "string" ? Buffer.from(body) : body;
      if (raw.length < THRESHOLD) return send(body);
      if (!res.get("Content-Type")) res.type("html");
      res.setHeader("Content-Encoding", encoding);
      // Kept by version only as the page itself (200), never an error page sent in its place.
      const stored = res.statusCode === 200 ? (res.locals.storedPageKey as string | undefined) : undefined;
      if (!stored) return send(compressedBody(pages, encoding, raw));
      const headers = KEPT_HEADERS.flatMap((name): [string, string][] => (res.get(name) ? [[name, String(res.get(name))]] : []));
      return send(compressedBody(pages, encoding, raw, stored, headers));
    };
    next();
  };
}
