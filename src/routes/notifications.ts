// Notifications: the list page, the header bell fragment, and mark one / all read.
import { Router } from "express";
import { z } from "zod";
import { requireUser } from "./middleware/auth.js";
import type { Deps } from "../deps.js";
import { dateHelpers } from "../lib/format-date.js";
import { csrfField, idParam, parseInput, parseParams, parseQuery } from "../lib/validation.js";
import { isHtmx, render, wantsFragment } from "../lib/views.js";
import { countUnread, listNotifications, markAllRead, markRead } from "../services/notifications/index.js";
import type { SeenVersions } from "../lib/state-cache.js";

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
const formBody = z.strictObject({ ...csrfField });

export const BELL_ID = "notification-bell";

export function notificationsRouter(deps: Deps): Router {
  const router = Router();

  router.get("/notifications", requireUser, async (req, res) => {
    const { page } = parseQuery(pageQuery, req.query);
    const list = await listNotifications(deps, req.user!.id, page);
    render(res, "notifications/index", { list, ...dateHelpers(req.locale) });
  });

  // The bell refreshes itself every 60 s; boosted navigation re-renders it with the header.
  router.get("/notifications/bell", requireUser, async (req, res) => {
    res.set("Cache-Control", "no-store");
    // The bell is a fragment of the header; a direct visit gets the notifications page.
    if (!isHtmx(req)) return res.redirect(303, "/notifications");
    render(res, "notifications/_bell", { unreadCount: await countUnread(deps, req.user!.id) });
  });

  router.post("/notifications/:id/read", requireUser, async (req, res) => {
    const { id } = parseParams(idParam, req.params);
    parseInput(formBody, req.body);
    const n = await markRead(deps, req.user!.id, id);
    if (wantsFragment(req, res, `notification-${id}`)) {
      res.set("HX-Trigger", "notifications-changed");
      return render(res, "notifications/_item", { n, ...dateHelpers(req.locale) });
    }
    res.redirect(303, "/notifications");
  });

  router.post("/notifications/read-all", requireUser, async (req, res) => {
    parseInput(formBody, req.body);
    await markAllRead(deps, req.user!.id);
    res.redirect(303, "/notifications");
  });

  return router;
}

/** Puts the unread count in the locals of full HTML pages, so the header bell is current on every navigation. */
export function unreadCountLocals(deps: Deps) {
  return async (req: import("express").Request, res: import("express").Response, next: import("express").NextFunction) => {
    // Pages only: not htmx fragments (they carry HX-Target) and not media segments.
    const page = req.method === "GET" && req.user && !req.path.startsWith("/media/") && !(req.get("HX-Request") === "true" && req.get("HX-Target"));
    if (page) res.locals.unreadCount = await countUnread(deps, req.user!.id, res.locals.seenVersions as SeenVersions);
    next();
  };
}
