// Static files: our public/ folder, and htmx + video.js from node_modules under versioned /vendor paths.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import express, { Router, type RequestHandler } from "express";
import { nodeModulesDir, publicDir } from "./paths.js";

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(nodeModulesDir, name, "package.json"), "utf8")) as { version: string }).version;
}

// The version is in the URL, so the files can be cached for a year and never go stale.
export const assetUrls = Object.freeze({
  htmx: `/vendor/htmx/${packageVersion("htmx.org")}/htmx.min.js`,
  videojs: `/vendor/video.js/${packageVersion("video.js")}/video.min.js`,
  videojsCss: `/vendor/video.js/${packageVersion("video.js")}/video-js.min.css`,
});

/** The directories served, each with its URL prefix; `npm run build` precompresses their text files. */
export const staticDirs = [
  { url: `/vendor/htmx/${packageVersion("htmx.org")}`, dir: path.join(nodeModulesDir, "htmx.org", "dist"), immutable: true },
  { url: `/vendor/video.js/${packageVersion("video.js")}`, dir: path.join(nodeModulesDir, "video.js", "dist"), immutable: true },
  { url: "/static", dir: publicDir, immutable: false },
] as const;

export function staticRouter(): Router {
  const router = Router();
  for (const { url, dir, immutable } of staticDirs) {
    const options = immutable
      ? ({ maxAge: "365d", immutable: true, index: false, fallthrough: false } as const)
      : ({ maxAge: "1h", index: false, fallthrough: false } as const);
    router.use(url, precompressed(dir), express.static(dir, options));
  }
  return router;
}

const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/**
 * Serves `file.css.br` / `file.css.gz` written at build time in place of `file.css` when the
 * browser accepts it, with the original type and `Vary: Accept-Encoding`. Whether a file has a
 * compressed twin is checked once per file, not per request.
 */
function precompressed(dir: string): RequestHandler {
  const known = new Map<string, boolean>();
  const has = (file: string) => {
    let found = known.get(file);
    if (found === undefined) known.set(file, (found = existsSync(file)));
    return found;
  };
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const file = path.join(dir, path.normalize(decodeURIComponent(req.path)));
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
