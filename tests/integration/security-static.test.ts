import { Writable } from "node:stream";
import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { closeDeps, createDeps, type Deps } from "../../src/deps.js";
import { assetUrls } from "../../src/lib/static-assets.js";
import { testEnv } from "../support/context.js";

// The app with a logger whose lines the tests can read: a miss must not be logged as an error.
let deps: Deps;
let app: ReturnType<typeof createApp>;
const lines: { level: number; msg: string }[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  const config = loadConfig(testEnv({ LOG_LEVEL: "info" }));
  deps = await createDeps(config, { name: "test", logger: pino({ level: "info" }, sink) });
  app = createApp(deps);
});
afterAll(async () => {
  await deps?.conn.dropDatabase().catch(() => undefined);
  if (deps) await closeDeps(deps);
});

const vendorDir = assetUrls.htmx.slice(0, assetUrls.htmx.lastIndexOf("/"));

describe("static and vendor files", () => {
  it("still serve files that exist", async () => {
    expect((await request(app).get("/static/css/app.css")).status).toBe(200);
    expect((await request(app).get(assetUrls.htmx)).status).toBe(200);
  });

  it("serve the brand typeface from its package, Vietnamese subset included, cached for a year", async () => {
    for (const href of assetUrls.fonts) {
      const css = await request(app).get(href);
      expect(css.status).toBe(200);
      expect(css.text).toContain("font-family: 'Inter'");
      const vietnamese = /url\(\.\/(files\/inter-vietnamese-\d+-normal\.woff2)\)/.exec(css.text);
      expect(vietnamese).toBeTruthy();
      const font = await request(app).get(`${href.slice(0, href.lastIndexOf("/"))}/${vietnamese![1]}`);
      expect(font.status).toBe(200);
      expect(font.headers["content-type"]).toBe("font/woff2");
      expect(font.headers["cache-control"]).toContain("immutable");
    }
  });

  it.each(["/static/nope.css", "/static/css/nope.css", `${vendorDir}/nope.js`, "/vendor/video.js/0.0.0/video.min.js"])(
    "answer a missing %s with 404 and no error log line",
    async (url) => {
      const before = lines.length;
      const res = await request(app).get(url);
      expect(res.status).toBe(404);
      expect(lines.slice(before).filter((l) => l.level >= 50)).toEqual([]);
    },
  );

  it.each(["/static/..%2f..%2fpackage.json", "/static/%2e%2e/%2e%2e/package.json", `${vendorDir}/..%2f..%2fpackage.json`, "/static/css/..%2f..%2f..%2f.env"])(
    "answer the traversal %s with 403 or 404, never the file and never a 500",
    async (url) => {
      const before = lines.length;
      const res = await request(app).get(url);
      expect([403, 404]).toContain(res.status);
      expect(res.text).not.toContain('"name": "netflix"');
      expect(lines.slice(before).filter((l) => l.level >= 50)).toEqual([]);
    },
  );

  it("answer a traversal attempt with 403", async () => {
    expect((await request(app).get("/static/..%2f..%2fpackage.json")).status).toBe(403);
  });
});
