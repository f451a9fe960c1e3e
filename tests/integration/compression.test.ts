// Responses reach browsers compressed: pages and fragments by the app, static files from the
// twins written at build time (npm run precompress) when they exist.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicDir } from "../../src/lib/paths.js";
import { createTestContext, type TestContext } from "../support/context.js";
import request from "supertest";
import { viewer } from "../support/watching.js";

let ctx: TestContext;
const css = path.join(publicDir, "css", "app.css");
const twin = `${css}.br`;
const hadTwin = existsSync(twin);
beforeAll(async () => {
  // A build's twin of the stylesheet: the real file, brotli-compressed.
  if (!hadTwin) writeFileSync(twin, zlib.brotliCompressSync(readFileSync(css)));
  ctx = await createTestContext();
});
afterAll(async () => {
  if (!hadTwin) rmSync(twin, { force: true });
  await ctx?.close();
});

describe("compression", () => {
  it("sends /browse brotli-compressed to a browser that accepts it, and plain to one that does not", async () => {
    const { agent } = await viewer(ctx.app, ctx.deps);
    // supertest decodes the body, so reading the page back proves it was valid brotli.
    const br = await agent.get("/browse").set("Accept-Encoding", "br, gzip");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.text).toContain("<html");
    expect(br.headers.vary).toContain("Accept-Encoding");
    const plain = await agent.get("/browse").set("Accept-Encoding", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.text).toContain("<html");
  });

  it("serves a static file's precompressed twin with the original type, and the file itself without br", async () => {
    const res = await request(ctx.app).get("/static/css/app.css").set("Accept-Encoding", "br");
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toContain("text/css");
    expect(res.headers.vary).toContain("Accept-Encoding");
    expect(res.text).toBe(readFileSync(css, "utf8"));
    // The twin's own bytes, not a compression made for this request (that one has no length).
    expect(res.headers["content-length"]).toBe(String(statSync(twin).size));

    const plain = await request(ctx.app).get("/static/css/app.css").set("Accept-Encoding", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.text).toBe(readFileSync(css, "utf8"));
  });
});
