// Static files: our public/ folder, and htmx + video.js from node_modules under versioned /vendor paths.
import { readFileSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";
import { nodeModulesDir, publicDir } from "./paths.js";

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(nodeModulesDir, name, "package.json"), "utf8")) as { version: string }).version;
}

// The version is in the URL, so the files can be cached for a year and never go stale.
export const assetUrls = Object.freeze({
  htmx: `/vendor/htmx/${packageVersion("htmx.org")}/htmx.min.js`,
  // The build without vtt.js: the player shows no WebVTT captions; it keeps VHS, which HLS needs outside Safari.
  videojs: `/vendor/video.js/${packageVersion("video.js")}/alt/video.novtt.min.js`,
  videojsCss: `/vendor/video.js/${packageVersion("video.js")}/video-js.min.css`,
});

export function staticRouter(): Router {
  const router = Router();
  const immutable = { maxAge: "365d", immutable: true, index: false, fallthrough: false } as const;
  router.use(`/vendor/htmx/${packageVersion("htmx.org")}`, express.static(path.join(nodeModulesDir, "htmx.org", "dist"), immutable));
  router.use(`/vendor/video.js/${packageVersion("video.js")}`, express.static(path.join(nodeModulesDir, "video.js", "dist"), immutable));
  router.use("/static", express.static(publicDir, { maxAge: "1h", index: false, fallthrough: false }));
  return router;
}
