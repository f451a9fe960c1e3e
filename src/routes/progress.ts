// Progress saves from the player (fetch or sendBeacon) and "remove from row" on Continue Watching.
import { Router } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireActiveSubscription, requireUser } from "./middleware/auth.js";
import { requireProfile } from "./middleware/profile-context.js";
import { csrfField, ids, parseInput, parseParams } from "../lib/validation.js";
import { hideFromContinueWatching, renewScreen, saveProgress } from "../services/watching/index.js";
import { leaseOf } from "./screens.js";

const SIX_HOURS = 6 * 3600;
const saveSchema = z.strictObject({
  ...csrfField,
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
  episode: z.string().regex(/^(main|s\d{1,3}e\d{1,4})$/),
  position: z.coerce.number().finite().min(0).max(SIX_HOURS),
  duration: z.coerce.number().finite().positive().max(SIX_HOURS),
  // Milliseconds on the player's clock; only ever compared with other saves of the same row.
  ts: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
const titleParam = z.strictObject({ titleId: ids.objectId });

export function progressRouter(deps: Deps): Router {
  const router = Router();

  router.post("/progress", requireUser, requireActiveSubscription(deps), requireProfile, async (req, res) => {
    const input = parseInput(saveSchema, req.body);
    const result = await saveProgress(deps, req.profile!.id, req.viewer ?? {}, {
      slug: input.slug,
      episodeKey: input.episode,
      positionSec: Math.round(input.position * 10) / 10,
      durationSec: Math.round(input.duration * 10) / 10,
      clientTs: input.ts,
    });
    // A progress save keeps its device's screen (it never takes a new one).
    await renewScreen(deps, req.user!.id, leaseOf(req));
    // Under overload the request deadline may have answered 503 already.
    if (!res.headersSent) res.json(result);
  });

  router.post("/progress/:titleId/hide", requireUser, requireProfile, async (req, res) => {
    const { titleId } = parseParams(titleParam, req.params, "catalog.titleNotFound");
    parseInput(z.strictObject({ ...csrfField }), req.body);
    await hideFromContinueWatching(deps, req.profile!.id, titleId);
    res.vary("HX-Trigger");
    // The card's own form asked: answer with nothing, which removes the card in place.
    if (req.get("HX-Request") === "true" && req.get("HX-Trigger") === `cw-remove-${titleId}`) return void res.status(200).type("html").send("");
    res.redirect(303, "/browse");
  });

  return router;
}
