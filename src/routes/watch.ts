// The watch pages: a film, an episode, or a trailer in video.js; and the player's stylesheet.
import { readFileSync } from "node:fs";
import { ids, parseParams, parseQuery, slugParam } from "../lib/validation.js";
import path from "node:path";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireActiveSubscription, requireUser } from "./middleware/auth.js";
import { nodeModulesDir } from "../lib/paths.js";
import { requireProfile } from "./middleware/profile-context.js";
import { assetUrls } from "../lib/static-assets.js";
import { render } from "../lib/views.js";
import { getPlayback, getTrailer, seriesStart } from "../services/watching/index.js";
import { renderScreensFull, takeScreen } from "./screens.js";
import { renderComingSoon } from "./titles.js";
import { NotFoundError } from "../lib/errors.js";

const episodeParams = z.strictObject({ slug: ids.slug, season: z.coerce.number().int().min(0).max(999), episode: z.coerce.number().int().min(1).max(9999) });
const watchQuery = z.object({ from: z.literal("start").optional() }).loose();

/**
 * Boosted navigation swaps only the body and htmx does not run the scripts it brings, so a
 * boosted request for a player page is turned into a full page load.
 */
function fullLoad(req: Request, res: Response): boolean {
  res.vary("HX-Boosted");
  if (req.get("HX-Boosted") !== "true") return false;
  res.set("HX-Redirect", req.originalUrl).status(200).end();
  return true;
}

export function watchRouter(deps: Deps): Router {
  const router = Router();
  const watchGate = [requireUser, requireActiveSubscription(deps), requireProfile];
  const css = playerCss();

  router.get("/player/video-js.css", (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600");
    res.type("text/css").send(css);
  });

  router.get("/watch/:slug/trailer", requireUser, requireProfile, async (req, res) => {
    const { slug } = parseParams(slugParam, req.params, "catalog.titleNotFound");
    if (fullLoad(req, res)) return;
    const { title, trailer } = await getTrailer(deps, req.viewer ?? {}, slug);
    render(res, "watch/trailer", { watchTitle: title, trailer, player: playerAssets() });
  });

  router.get("/watch/:slug", ...watchGate, async (req, res) => {
    const { slug } = parseParams(slugParam, req.params, "catalog.titleNotFound");
    await orComingSoon(req, res, slug, async () => {
      const start = await seriesStart(deps, req.profile!.id, req.viewer ?? {}, slug);
      if (start) return res.redirect(303, `/watch/${slug}/s/${start.season}/e/${start.episode}`);
      if (fullLoad(req, res)) return;
      await renderPlayer(req, res, slug);
    });
  });

  router.get("/watch/:slug/s/:season/e/:episode", ...watchGate, async (req, res) => {
    const { slug, season, episode } = parseParams(episodeParams, req.params, "watch.episodeNotFound");
    await orComingSoon(req, res, slug, async () => {
      if (fullLoad(req, res)) return;
      await renderPlayer(req, res, slug, { season, episode });
    });
  });

  /** A title that is not out yet answers 403 with its release date rather than "not found". */
  async function orComingSoon(req: Request, res: Response, slug: string, play: () => Promise<unknown>) {
    try {
      await play();
    } catch (err) {
      if (err instanceof NotFoundError && !res.headersSent && (await renderComingSoon(deps, req, res, slug, true))) return;
      throw err;
    }
  }

  async function renderPlayer(req: Request, res: Response, slug: string, ep?: { season: number; episode: number }) {
    const { from } = parseQuery(watchQuery, req.query);
    const playback = await getPlayback(deps, req.profile!.id, req.viewer ?? {}, slug, ep);
    if (from === "start") playback.resumeSec = 0;
    // Every playback takes one of the plan's screens; with none free, the account's streams instead.
    const screen = await takeScreen(deps, req, { title: playback.title.title, slug, episodeKey: playback.episodeKey }, "start");
    if (screen !== "held") return renderScreensFull(deps, req, res, req.originalUrl);
    res.set("Cache-Control", "no-store");
    render(res, "watch/player", { playback, watchTitle: playback.title, player: playerAssets() });
  }

  return router;
}

function playerAssets() {
  return { js: assetUrls.videojs, css: "/player/video-js.css" };
}

/**
 * video.js's stylesheet embeds its icon font as a data: URL, which our CSP (font-src 'self')
 * refuses. Serve the same stylesheet with the font pointed at the packaged file instead.
 */
function playerCss(): string {
  const raw = readFileSync(path.join(nodeModulesDir, "video.js", "dist", "video-js.min.css"), "utf8");
  const fontUrl = `${path.posix.dirname(assetUrls.videojsCss)}/font/VideoJS.woff`;
  return raw.replace(/url\(data:application\/font-woff[^)]*\)/g, `url(${fontUrl})`);
}
