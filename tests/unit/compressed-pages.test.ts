// The compression memo behind whole HTML pages: one compression per distinct body and encoding.
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { compressedBody, createCompressedPages } from "../../src/lib/compressed-pages.js";

const page = (n: number) => Buffer.from(`<!doctype html><title>p</title>${"<li class=card>row</li>".repeat(500)}<p>${n}</p>`);

describe("compressed pages", () => {
  it("compresses a body once and hands the same bytes to every later request for it", () => {
    const pages = createCompressedPages();
    const a = compressedBody(pages, "br", page(1));
    expect(compressedBody(pages, "br", page(1))).toBe(a);
    expect(zlib.brotliDecompressSync(a).equals(page(1))).toBe(true);
    expect(pages.size).toBe(1);

    const other = compressedBody(pages, "br", page(2));
    expect(other).not.toBe(a);
    expect(zlib.brotliDecompressSync(other).equals(page(2))).toBe(true);
    const gz = compressedBody(pages, "gzip", page(1));
    expect(zlib.gunzipSync(gz).equals(page(1))).toBe(true);
    expect(pages.size).toBe(3);
  });

  it("keeps within its byte bound, dropping the least recently used", () => {
    const pages = createCompressedPages(600);
    for (let n = 0; n < 50; n++) compressedBody(pages, "gzip", page(n));
    expect(pages.calculatedSize).toBeLessThanOrEqual(600);
    expect(pages.size).toBeGreaterThan(0);
    expect(pages.size).toBeLessThan(50);
  });

  it("keeps each body in memory of its own size, so the byte bound is the memory held", () => {
    const pages = createCompressedPages();
    for (const encoding of ["br", "gzip"] as const) {
      const body = compressedBody(pages, encoding, page(7));
      // zlib's own output is a view into a 64 KB chunk; a kept page must not pin it.
      expect(body.buffer.byteLength).toBe(body.length);
    }
    expect(pages.calculatedSize).toBe([...pages.values()].reduce((n, c) => n + c.body.length, 0));
  });
});
