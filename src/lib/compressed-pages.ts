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
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { RequestHandler, Response } from "express";
import { LRUCache } from "lru-cache";

/** Below this, compression saves too little to pay for itself (the `compression` default). */
const THRESHOLD = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

type Encoding = "br" | "gzip";

export interface CompressedPages {
  /** Compressed bodies by encoding and digest of the uncompressed body. */
  bodies: LRUCache<string, Buffer>;
  /** Compressions in flight by key: concurrent misses of one page share one. */
  inFlight: Map<string, Promise<Buffer>>;
}

export function createCompressedPages(maxBytes = 16 * 1024 * 1024): CompressedPages {
  return { bodies: new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (b) => Math.max(1, b.length) }), inFlight: new Map() };
}

function compress(encoding: Encoding, body: Buffer): Promise<Buffer> {
  return encoding === "br"
    ? brotli(body, {
        // Quality 4, as the `compression` middleware uses: near gzip -9 in size for a fraction of the CPU.
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      })
    : gzip(body, { level: zlib.constants.Z_DEFAULT_COMPRESSION });
}

/** The body compressed with `encoding`, from the cache when this exact body was compressed before. */
export function compressedBody(pages: CompressedPages, encoding: Encoding, body: Buffer): Promise<Buffer> {
  const key = `${encoding}:${body.length}:${hash("sha256", body, "base64")}`;
  const cached = pages.bodies.get(key);
  if (cached) return Promise.resolve(cached);
  let pending = pages.inFlight.get(key);
  if (!pending) {
    pending = compress(encoding, body)
      .then((out) => {
        pages.bodies.set(key, out);
        return out;
      })
      .finally(() => pages.inFlight.delete(key));
    pages.inFlight.set(key, pending);
  }
  return pending;
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
      compressedBody(pages, encoding, raw).then(
        (out) => {
          // Another answer (the request deadline's 503) may have gone out meanwhile.
          if (res.headersSent) return;
          res.setHeader("Content-Encoding", encoding);
          send(out);
        },
        () => void (res.headersSent || send(raw)),
      );
      return res;
    };
    next();
  };
}
