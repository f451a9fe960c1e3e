// /media: the demo HLS streams from the media folder. Trailers are for everyone signed in; every
// other stream needs an active subscription, checked on every playlist and segment request.
import path from "node:path";
import express, { Router } from "express";
import type { Deps } from "../deps.js";
import { requireActiveSubscription, requireUser } from "./middleware/auth.js";
import { projectRoot } from "../lib/paths.js";

export function mediaDir(deps: Pick<Deps, "config">): string {
  return deps.config.catalog.mediaDir ?? path.join(projectRoot, "media");
}

export function mediaRouter(deps: Deps): Router {
  const router = Router();
  const dir = mediaDir(deps);
  // Segments are immutable per file name; "private" keeps shared caches from serving them to others.
  const options = {
    index: false,
    setHeaders: (res: { setHeader(name: string, value: string): void }) => res.setHeader("Cache-Control", "private, max-age=3600"),
  };
  router.use("/media/trailer", requireUser, express.static(path.join(dir, "trailer"), options));
  router.use("/media", requireActiveSubscription(deps), express.static(dir, options));
  return router;
}
