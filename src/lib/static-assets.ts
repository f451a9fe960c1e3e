// Static files: our public/ folder, and htmx + video.js from node_modules under versioned /vendor paths.
import { readFileSync } from "node:fs";
import path from "node:path";
import express, { Router, type RequestHandler } from "express";
import type { ServeStaticOptions } from "serve-static";
import { BadRequestError, ForbiddenError, NotFoundError } from "./errors.js";
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

export function staticRouter(): Router {
  const router = Router();
  const immutable = { maxAge: "365d", immutable: true, index: false } as const;
  router.use(`/vendor/htmx/${packageVersion("htmx.org")}`, serveFolder(path.join(nodeModulesDir, "htmx.org", "dist"), immutable));
  router.use(`/vendor/video.js/${packageVersion("video.js")}`, serveFolder(path.join(nodeModulesDir, "video.js", "dist"), immutable));
  router.use("/static", serveFolder(publicDir, { maxAge: "1h", index: false }));
  return router;
}
