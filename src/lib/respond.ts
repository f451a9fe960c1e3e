// How routes answer besides rendering: one redirect policy for pages and htmx, flash + redirect,
// and a page or its fragment.
import type { Request, Response } from "express";
import { render, wantsFragment } from "./views.js";

/**
 * Sends the browser to `url`. A page request gets a 303. An htmx request cannot follow a 303 into
 * a whole page, so it gets `HX-Redirect` (a full load of `url`) with status 200, or 401 when the
 * reason is that sign-in is needed (scripts and htmx's error handling can tell that apart).
 */
export function redirectTo(req: Request, res: Response, url: string, reason: "moved" | "sign-in" = "moved"): void {
  res.vary("HX-Request");
  if (req.get("HX-Request") === "true" && req.get("HX-Boosted") !== "true") {
    res
      .set("HX-Redirect", url)
      .status(reason === "sign-in" ? 401 : 200)
      .end();
    return;
  }
  res.redirect(303, url);
}

/** A one-time message for the next page, stored before the redirect is sent. */
export async function flashAndRedirect(
  req: Request,
  res: Response,
  url: string,
  key: string,
  vars?: Record<string, string>,
  kind: "info" | "error" = "info",
): Promise<void> {
  req.session.flash = { kind, key, vars };
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err as Error) : resolve())));
  redirectTo(req, res, url);
}

/** The fragment `targetId` asks for (an htmx request aimed at it), else the whole page. */
export function pageOrFragment(
  req: Request,
  res: Response,
  views: { targetId: string; fragment: string; page: string },
  data: Record<string, unknown>,
  status = 200,
): void {
  render(res, wantsFragment(req, res, views.targetId) ? views.fragment : views.page, data, status);
}
