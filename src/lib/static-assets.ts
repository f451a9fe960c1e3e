// Static files: our public/ folder, and htmx + video.js from node_modules under versioned /vendor paths.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import express, { Router, type RequestHandler } from "express";
import { LRUCache } from "lru-cache";
import type { ServeStaticOptions } from "serve-static";
import { BadRequestError, ForbiddenError, NotFoundError } from "./errors.js";
import { nodeModulesDir, publicDir } from "./paths.js";

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(nodeModulesDir, name, "package.json"), "utf8")) as { version: string }).version;
}

// The version is in the URL, so the files can be cached for a year and never go stale.
export const assetUrls = Object.freeze({
  htmx: `/vendor/htmx/${packageVersion("htmx.org")}/htmx.min.js`,
  // The player's scripts, in order: video.js's core without vtt.js (captions are the browser's
  // native text tracks), then the quality levels plugin and VHS (HLS outside Safari), the same
  // versions the full build bundles, as separate files: each is evaluated in its own, shorter task.
  videojs: Object.freeze([
    `/vendor/video.js/${packageVersion("video.js")}/alt/video.core.novtt.min.js`,
    `/vendor/videojs-contrib-quality-levels/${packageVersion("videojs-contrib-quality-levels")}/videojs-contrib-quality-levels.min.js`,
    `/vendor/videojs-http-streaming/${packageVersion("@videojs/http-streaming")}/videojs-http-streaming.min.js`,
  ]),
  videojsCss: `/vendor/video.js/${packageVersion("video.js")}/video-js.min.css`,
  // The brand typeface, served from the package (Latin and Vietnamese subsets load by unicode-range).
  fonts: Object.freeze([400, 700].map((weight) => `/vendor/inter/${packageVersion("@fontsource/inter")}/${weight}.css`)),
  // The tus client for resumable uploads on the admin pages.
  tus: `/vendor/tus-js-client/${packageVersion("tus-js-client")}/tus.min.js`,
});

/**
 * express.static with its misses as our typed errors: a missing file is a 404 page, a path that
 * climbs out of the folder ("..", encoded or not) a 403, a malformed one a 400; never a 500.
 */
function serveFolder(root: string, options: ServeStaticOptions): RequestHandler {
  const serve = express.static(root, { ...options, fallthrough: false });
  return (req, res, next) =>
    serve(req, res, (err?: unknown) => {
      if (!err) return next();
      const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
      if (status === 403) return next(new ForbiddenError());
      if (status === 400) return next(new BadRequestError());
      if (status !== undefined && status < 500) return next(new NotFoundError());
      next(err);
    });
}

/** The directories served, each with its URL prefix; `npm run build` precompresses their text files. */
export const staticDirs = [
  { url: `/vendor/htmx/${packageVersion("htmx.org")}`, dir: path.join(nodeModulesDir, "htmx.org", "dist"), immutable: true },
  { url: `/vendor/video.js/${packageVersion("video.js")}`, dir: path.join(nodeModulesDir, "video.js", "dist"), immutable: true },
  {
    url: `/vendor/videojs-contrib-quality-levels/${packageVersion("videojs-contrib-quality-levels")}`,
    dir: path.join(nodeModulesDir, "videojs-contrib-quality-levels", "dist"),
    immutable: true,
  },
  {
    url: `/vendor/videojs-http-streaming/${packageVersion("@videojs/http-streaming")}`,
    dir: path.join(nodeModulesDir, "@videojs", "http-streaming", "dist"),
    immutable: true,
  },
  { url: `/vendor/inter/${packageVersion("@fontsource/inter")}`, dir: path.join(nodeModulesDir, "@fontsource", "inter"), immutable: true },
  { url: `/vendor/tus-js-client/${packageVersion("tus-js-client")}`, dir: path.join(nodeModulesDir, "tus-js-client", "dist"), immutable: true },
  { url: "/static", dir: publicDir, immutable: false },
] as const;

export function staticRouter(): Router {
  const router = Router();
  for (const { url, dir, immutable } of staticDirs) {
    const options = immutable ? ({ maxAge: "365d", immutable: true, index: false } as const) : ({ maxAge: "1h", index: false } as const);
    router.use(url, precompressed(dir), serveFolder(dir, options));
  }
  return router;
}

/** A twin exists and was written after its file (`x.css.br` for `x.css`). */
function isCurrentTwin(twin: string): boolean {
  const source = twin.replace(/\.(br|gz)$/, "");
  try {
    return statSync(twin).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}

const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/**
 * Serves `file.css.br` / `file.css.gz` written at build time in place of `file.css` when the
 * browser accepts it, with the original type and `Vary: Accept-Encoding`. A twin older than its
 * file (the file edited since the last build) is ignored. Whether a file has a current twin is
 * remembered for a few seconds for the most recent paths (bounded: request paths are anyone's).
 */
function precompressed(dir: string): RequestHandler {
  const known = new LRUCache<string, boolean>({ max: 2000, ttl: 5000 });
  const has = (twin: string) => {
    let found = known.get(twin);
    if (found === undefined) known.set(twin, (found = isCurrentTwin(twin)));
    return found;
  };
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    let requested: string;
    try {
      requested = decodeURIComponent(req.path);
    } catch {
      return next(); // a malformed escape: serve-static answers it (400)
    }
    const file = path.join(dir, path.normalize(requested));
    if (!file.startsWith(dir + path.sep) || !ENCODINGS.some((e) => has(file + e.suffix))) return next();
    res.vary("Accept-Encoding");
    const accepted = req.acceptsEncodings(...ENCODINGS.filter((e) => has(file + e.suffix)).map((e) => e.name));
    const encoding = ENCODINGS.find((e) => e.name === accepted);
    if (!encoding) return next();
    // serve-static keeps a Content-Type already set, and compression leaves encoded bodies alone.
    res.type(path.extname(file));
    res.setHeader("Content-Encoding", encoding.name);
    req.url = req.url.replace(/^[^?]*/, (p) => p + encoding.suffix);
    next();
  };
}
