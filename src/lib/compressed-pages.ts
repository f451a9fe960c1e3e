// Compressed HTML pages kept by content: a page sent twice with the same bytes (a returning
// viewer's /browse, whose session keeps its CSRF token, with nothing changed in between) is
// compressed once. Brotli costs more CPU than rendering a 100-200 KB page from cached fragments;
// a SHA-256 of the body costs a small fraction of it. The key is the body's digest, so a page
// whose content changed in any byte is simply a new entry: nothing here is ever invalidated,
// and the LRU's byte bound keeps memory flat.
//
// Everything that is not a whole HTML body sent with res.send (static files, JSON, streams) is
// left to the `compression` middleware, which skips responses that already carry an encoding.
import { hash } from "node:crypto";
import zlib from "node:zlib";
import type { RequestHandler, Response } from "express";
import { LRUCache } from "lru-cache";

/** Below this, compression saves too little to pay for itself (the `compression` default). */
const THRESHOLD = 1024;

type Encoding = "br" | "gzip";

/** Compressed bodies by encoding and digest of the uncompressed body. */
export type CompressedPages = LRUCache<string, Buffer>;

export function createCompressedPages(maxBytes = 16 * 1024 * 1024): CompressedPages {
  return new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (b) => Math.max(1, b.length) });
}

/**
 * The body compressed with `encoding`, from the cache when this exact body was compressed before.
 * Synchronous, like res.send itself: a response is never half-sent while another answer (the
 * request deadline's 503) races it, and a miss costs about a millisecond per 100 KB once.
 */
export function compressedBody(pages: CompressedPages, encoding: Encoding, body: Buffer): Buffer {
  const key = `${encoding}:${body.length}:${hash("sha256", body, "base64")}`;
  let out = pages.get(key);
  if (!out) {
    out =
      encoding === "br"
        ? zlib.brotliCompressSync(body, {
            // Quality 4, as the `compression` middleware uses: near gzip -9 in size for a fraction of the CPU.
            // A window just large enough for the page (not the default 4 MB): the same output for
            // pages up to it, and far smaller allocations on every compression.
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              [zlib.constants.BROTLI_PARAM_LGWIN]: Math.min(22, Math.max(16, Math.ceil(Math.log2(body.length + 1)))),
            },
          })
        : zlib.gzipSync(body);
    pages.set(key, out);
  }
  return out;
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
    const encoding = req.method === "GET" ? (req.acceptsEncodings("br", "gzip", "identity") as Encoding | "identity" | false) : false;
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
      return send(compressedBody(pages, encoding, raw));
    };
    next();
  };
}
