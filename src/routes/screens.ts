// The player's server side beyond the stream: screens and the subtitle choice.
// Screens: the watch page takes a screen (a lease per device), the player keeps it with its
// heartbeat and progress saves, and /streams lists the account's streams with "stop that stream".
import { Router, type Request, type Response } from "express";
import { UAParser } from "ua-parser-js";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { ForbiddenError } from "../lib/errors.js";
import { dateHelpers } from "../lib/format-date.js";
import { csrfField, parseInput, parseParams } from "../lib/validation.js";
import { render } from "../lib/views.js";
import { planLimits } from "../services/billing/index.js";
import { getTitleDetail } from "../services/catalog/index.js";
import { setSubtitleLanguage } from "../services/accounts/index.js";
import { acquireScreen, listStreams, screenLeaseId, stopStream, type LeaseResult, type StreamStart } from "../services/watching/index.js";
import { requireActiveSubscription, requireUser } from "./middleware/auth.js";
import { requireProfile } from "./middleware/profile-context.js";

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(120);
const episode = z.string().regex(/^(main|s\d{1,3}e\d{1,4})$/);
const heartbeatSchema = z.strictObject({ ...csrfField, slug, episode });
const subtitleSchema = z.strictObject({ ...csrfField, lang: z.union([z.literal("off"), z.string().regex(/^[a-z]{2}$/)]) });
const stopParams = z.strictObject({ leaseId: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });
// Where "stop that stream" goes back to: a watch page of this site only.
const stopSchema = z.strictObject({
  ...csrfField,
  next: z
    .string()
    .regex(/^\/watch\/[a-z0-9/-]{1,200}$/)
    .optional()
    .or(z.literal("")),
});

/** "Chrome 120 · Linux" from the request's user agent. */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = UAParser(userAgent ?? "");
  const browser = [ua.browser.name, ua.browser.major].filter(Boolean).join(" ");
  const os = [ua.os.name, ua.os.version].filter(Boolean).join(" ");
  return [browser, os].filter(Boolean).join(" · ").slice(0, 80) || "?";
}

export function leaseOf(req: Request): string {
  return screenLeaseId(req.sessionID);
}

/** Takes (or keeps) a screen for this request's device; the plan decides how many there are. */
export function takeScreen(
  deps: Deps,
  req: Request,
  stream: Omit<StreamStart, "profileId" | "profileName" | "device">,
  mode: "start" | "renew",
): Promise<LeaseResult> {
  const { screens } = planLimits(deps.config, req.user!.subscription.plan);
  return acquireScreen(
    deps,
    req.user!.id,
    leaseOf(req),
    screens,
    { ...stream, profileId: req.profile!.id, profileName: req.profile!.name, device: deviceLabel(req.get("user-agent")) },
    mode,
  );
}

/** The "too many screens" page (409), listing the account's streams; `next` is the watch page asked for. */
export async function renderScreensFull(deps: Deps, req: Request, res: Response, next: string | null, status = 409): Promise<void> {
  const streams = await listStreams(deps, req.user!.id, leaseOf(req));
  const { screens } = planLimits(deps.config, req.user!.subscription.plan);
  res.set("Cache-Control", "no-store");
  render(res, "watch/streams", { streams, screens, next, ...dateHelpers(req.locale), full: status === 409, canStop: !req.profile!.kids }, status);
}

export function screensRouter(deps: Deps): Router {
  const router = Router();
  const gate = [requireUser, requireActiveSubscription(deps), requireProfile];

  router.get("/streams", ...gate, async (req, res) => {
    await renderScreensFull(deps, req, res, null, 200);
  });

  router.post("/streams/:leaseId/stop", ...gate, async (req, res) => {
    const { leaseId } = parseParams(stopParams, req.params);
    const { next } = parseInput(stopSchema, req.body);
    if (req.profile!.kids) throw new ForbiddenError("errors.adultProfileNeeded");
    await stopStream(deps, req.user!.id, leaseId);
    res.redirect(303, next || "/streams");
  });

  // The player's heartbeat: 200 while it holds its screen, 409 when it lost it.
  router.post("/watch/lease", ...gate, async (req, res) => {
    const input = parseInput(heartbeatSchema, req.body);
    const title = await getTitleDetail(deps, req.viewer ?? {}, input.slug);
    const state = await takeScreen(deps, req, { title: title.title, slug: input.slug, episodeKey: input.episode }, "renew");
    res.set("Cache-Control", "no-store");
    res.status(state === "held" ? 200 : 409).json({ state });
  });

  // The player's captions menu: the profile's choice, offered first on its next playback.
  router.post("/watch/subtitles", ...gate, async (req, res) => {
    const { lang } = parseInput(subtitleSchema, req.body);
    await setSubtitleLanguage(deps, req.user!.id, req.profile!.id, lang);
    res.status(204).end();
  });

  return router;
}
