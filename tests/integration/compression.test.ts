// Responses reach browsers compressed: pages and fragments by the app, static files from the
// twins written at build time (npm run precompress) when they exist.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicDir } from "../../src/lib/paths.js";
import { createTestContext, type TestContext } from "../support/context.js";
import request from "supertest";
import { viewer } from "../support/watching.js";
import { activeSubscriber } from "../support/billing.js";
import { makeTitle } from "../support/catalog-fixtures.js";
import { cookiePair, csrfFrom, newAgent, signIn } from "../support/http.js";

let ctx: TestContext;
const css = path.join(publicDir, "css", "app.css");
const twin = `${css}.br`;
const hadTwin = existsSync(twin);
// A script whose twin is older than the script itself (edited since the last build).
const js = path.join(publicDir, "js", "roving.js");
const staleTwin = `${js}.br`;
const hadStale = existsSync(staleTwin) ? readFileSync(staleTwin) : null;
beforeAll(async () => {
  // A build's twin of the stylesheet: the real file as it is now, brotli-compressed.
  writeFileSync(twin, zlib.brotliCompressSync(readFileSync(css)));
  writeFileSync(staleTwin, zlib.brotliCompressSync(Buffer.from("/* an old build */")));
  const old = new Date(statSync(js).mtimeMs - 3600_000);
  utimesSync(staleTwin, old, old);
  ctx = await createTestContext();
});
afterAll(async () => {
  if (!hadTwin) rmSync(twin, { force: true });
  if (hadStale) writeFileSync(staleTwin, hadStale);
  else rmSync(staleTwin, { force: true });
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

  it("compresses a page once per content: the same page again is the same bytes, a changed page new ones", async () => {
    await makeTitle(ctx.deps);
    const user = await activeSubscriber(ctx.deps);
    const agent = newAgent(ctx.app);
    const cookie = cookiePair((await signIn(agent, user.email)).headers["set-cookie"])!;
    const token = csrfFrom((await agent.get("/browse")).text);
    const server = ctx.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as AddressInfo).port;
    // The bytes as sent (supertest and fetch would decode them).
    const raw = (encoding: string) =>
      new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, path: "/browse", headers: { cookie, "accept-encoding": encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
          })
          .on("error", reject);
      });
    const first = await raw("br");
    const again = await raw("br");
    expect(first.encoding).toBe("br");
    expect(again.body.equals(first.body)).toBe(true);
    const page = zlib.brotliDecompressSync(first.body).toString();
    expect(page).toContain("<html");

    const gz = await raw("gzip");
    expect(gz.encoding).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).toString()).toBe(page);

    // A change to what the page shows (a title added to My List) is a new body, compressed anew.
    const card = /data-testid="mylist-button"/.test(page) ? /action="\/my-list\/([a-f0-9]{24})"/.exec(page)?.[1] : undefined;
    expect(card).toBeDefined();
    await agent.post(`/my-list/${card}`).type("form").send({ _csrf: token, inList: "1" }).expect(303);
    const changed = await raw("br");
    expect(changed.body.equals(first.body)).toBe(false);
    expect(zlib.brotliDecompressSync(changed.body).toString()).toContain('aria-pressed="true"');

    const head = await agent.head("/browse").set("Accept-Encoding", "br");
    expect(head.status).toBe(200);
    server.close();
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

  it("ignores a twin older than its file: the file as it is now, compressed for the request", async () => {
    const res = await request(ctx.app).get("/static/js/roving.js").set("Accept-Encoding", "br");
    expect(res.status).toBe(200);
    expect(res.text).toBe(readFileSync(js, "utf8"));
    expect(res.headers["content-length"]).toBeUndefined();
  });
});
