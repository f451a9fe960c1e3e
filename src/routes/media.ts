// /media: HLS streams from the media folder. Trailers are for everyone signed in; every other
// stream needs an active subscription, checked on every playlist and segment request, and is
// capped at the plan's quality: master playlists are built per request with only the renditions
// the plan allows, and a rendition above it (its folder is named "<height>p") answers 403.
import { readFile } from "node:fs/promises";
import path from "node:path";
import express, { Router, type RequestHandler } from "express";
import type { Deps } from "../deps.js";
import { requireActiveSubscription, requireUser } from "./middleware/auth.js";
import { mediaRoot } from "../lib/media-storage.js";
import { ForbiddenError } from "../lib/errors.js";
import { planLimits } from "../services/billing/index.js";

export function mediaDir(deps: Pick<Deps, "config">): string {
  return mediaRoot(deps.config);
}

/** A rendition folder's height: "720p" -> 720. */
const RENDITION = /^(\d{3,4})p$/;

function renditionHeight(urlPath: string): number | null {
  for (const part of urlPath.split("/")) {
    const m = RENDITION.exec(part);
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * The master playlist without the variants taller than `maxHeight`. A variant's height is its
 * rendition folder's name, or else its RESOLUTION attribute. Returns null when every variant was
 * above the cap (a playlist without variants is left as it is).
 */
export function capMasterPlaylist(text: string, maxHeight: number): string | null {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let kept = 0;
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("#EXT-X-STREAM-INF:")) {
      let j = i + 1;
      while (j < lines.length && (lines[j]!.trim() === "" || lines[j]!.startsWith("#"))) j++;
      const uri = lines[j] ?? "";
      const resolution = /RESOLUTION=\d+x(\d+)/.exec(line);
      const height = renditionHeight(uri) ?? (resolution ? Number(resolution[1]) : null);
      if (height !== null && height > maxHeight) {
        dropped += 1;
        i = j;
        continue;
      }
      kept += 1;
      out.push(line, ...lines.slice(i + 1, j + 1));
      i = j;
      continue;
    }
    if (line.startsWith("#EXT-X-I-FRAME-STREAM-INF:")) {
      const uri = /URI="([^"]*)"/.exec(line)?.[1] ?? "";
      const height = renditionHeight(uri);
      if (height !== null && height > maxHeight) continue;
    }
    out.push(line);
  }
  return kept === 0 && dropped > 0 ? null : out.join("\n");
}

function qualityCap(deps: Deps, dir: string): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const { maxHeight } = planLimits(deps.config, req.user?.subscription.plan);
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const height = renditionHeight(urlPath);
    if (height !== null && height > maxHeight) return next(new ForbiddenError("errors.qualityNotInPlan"));
    if (!urlPath.endsWith("/master.m3u8")) return next();
    const file = path.resolve(dir, `.${path.posix.normalize(urlPath)}`);
    if (!file.startsWith(dir + path.sep)) return next();
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return next();
    }
    const capped = capMasterPlaylist(text, maxHeight);
    if (capped === null) return next(new ForbiddenError("errors.qualityNotInPlan"));
    res.vary("Cookie");
    res.set("Cache-Control", "private, no-cache");
    res.type("application/vnd.apple.mpegurl").send(capped);
  };
}

export function mediaRouter(deps: Deps): Router {
  const router = Router();
  const dir = path.resolve(mediaDir(deps));
  // Segments are immutable per file name; "private" keeps shared caches from serving them to others.
  const options = {
    index: false,
    setHeaders: (res: { setHeader(name: string, value: string): void }) => res.setHeader("Cache-Control", "private, max-age=3600"),
  };
  router.use("/media/trailer", requireUser, express.static(path.join(dir, "trailer"), options));
  router.use("/media", requireActiveSubscription(deps), qualityCap(deps, dir), express.static(dir, options));
  return router;
}
