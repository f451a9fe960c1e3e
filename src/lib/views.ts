// Eta rendering: pages and fragments share one data shape (request locals + view data).
import type { Request, Response } from "express";
import { Eta } from "eta";
import { viewsDir } from "./paths.js";

export function createEta(cache: boolean): Eta {
  const eta = new Eta({ views: viewsDir, cache, autoEscape: true, autoTrim: [false, "nl"] });
  // Eta resolves a template's path on every render and include (a JSON key, path joins, a
  // check that it stays inside the views folder): a quarter of rendering a page's shell. The
  // answer depends only on the including file and the name, never on the files themselves.
  const resolve = eta.resolvePath;
  const resolved = new Map<string, string>();
  eta.resolvePath = function (template, options) {
    const key = `${options?.filepath ?? ""}\0${template}`;
    let path = resolved.get(key);
    if (path === undefined) resolved.set(key, (path = resolve.call(this, template, options)));
    return path;
  };
  return eta;
}

/** `view` (a path under src/views, without extension) as HTML, with the request's locals. */
export function renderFragment(res: Response, view: string, data: Record<string, unknown> = {}): string {
  const eta = res.app.locals.eta as Eta;
  return eta.render(`./${view}`, { ...res.locals, ...data });
}

/** Renders `view` with the request's locals as the response. */
export function render(res: Response, view: string, data: Record<string, unknown> = {}, status = 200): void {
  res
    .status(status)
    .type("html")
    .send(renderFragment(res, view, data));
}

/**
 * True when htmx asked for exactly this fragment (its target id), not on any htmx request:
 * boosted navigation sends HX-Request too and must get the whole page.
 */
export function wantsFragment(req: Request, res: Response, targetId: string): boolean {
  res.vary("HX-Request");
  res.vary("HX-Target");
  return req.get("HX-Request") === "true" && req.get("HX-Target") === targetId;
}

export function isHtmx(req: Request): boolean {
  return req.get("HX-Request") === "true";
}
