// Pages kept whole, compressed, under the versions of everything they show (lib/compressed-pages,
// lib/state-cache SeenVersions): a returning viewer's /browse, a title, a genre or a search is sent
// again without being built, rendered or compressed until a write changes any part of it.
//
// The key names the request (locale, address, the htmx headers that pick a fragment), the session's
// CSRF token (the page carries it), the plan state the page leads with, and `version`: the
// versions of the state the page reads. A page with a flash message shows it once and is never kept.
import type { Request, RequestHandler, Response } from "express";
import type { Deps } from "../../deps.js";
import { sendStoredPage } from "../../lib/compressed-pages.js";
import type { SeenVersions } from "../../lib/state-cache.js";
import type { BrowsePageContext } from "../../services/watching/index.js";
import { browseContext } from "./profile-context.js";

type PageVersion = (deps: Deps, ctx: BrowsePageContext, seen: SeenVersions) => Promise<string | null>;

const HTMX_HEADERS = ["HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request"];

function requestKey(req: Request, res: Response): string {
  return [req.locale, req.originalUrl, ...HTMX_HEADERS.map((h) => req.get(h) ?? ""), res.locals.csrfToken, res.locals.planState].join("|");
}

export function keptPage(deps: Deps, version: PageVersion): RequestHandler {
  return async (req, res, next) => {
    const seen = res.locals.seenVersions as SeenVersions | undefined;
    if (req.method !== "GET" || res.locals.flash || !seen) return next();
    const parts = await version(deps, browseContext(req, res), seen);
    if (parts === null || !sendStoredPage(deps.pages, req, res, `${requestKey(req, res)}|${parts}`)) next();
  };
}
