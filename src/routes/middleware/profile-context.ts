// Which profile is watching: the session names it, the account's profiles (read with the user on
// every request) describe it; sets the catalog viewer (the kids maturity ceiling) and sends users
// without a chosen profile to "Who's watching?".
import type { Request, RequestHandler, Response } from "express";
import { loadTitleState, type BrowsePageContext, type TitleState } from "../../services/watching/index.js";
import { ensureProfiles, type ProfileView } from "../../services/accounts/index.js";
import { redirectTo } from "../../lib/respond.js";
import type { Deps } from "../../deps.js";
import type { Viewer } from "../../lib/maturity.js";
import type { SeenVersions } from "../../lib/state-cache.js";

declare module "express-session" {
  interface SessionData {
    profileId?: string;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      profile?: ProfileView;
      viewer?: Viewer;
    }
  }
}

// Pages that show the catalog or per-profile data; they need to know who is watching.
const NEEDS_PROFILE = /^\/(browse|title|titles|genre|genres|search|watch|streams|my-list|history|ratings|progress|rows)(\/|$)/;

// Pages that show title cards or a title: they get the profile's list/rating state for the widgets.
const SHOWS_TITLES = /^\/(browse|title|genre|search|my-list|history)(\/|$)/;

export function needsProfile(path: string): boolean {
  return NEEDS_PROFILE.test(path);
}

export function profileContext(deps: Pick<Deps, "models" | "redis" | "logger" | "cache">): RequestHandler {
  return async (req, res, next) => {
    res.locals.viewer = {};
    if (!req.user) return next();
    const profile = selectedProfile(req) ?? (await autoSelect(deps, req));
    if (profile) {
      setProfile(req, res, profile);
      if (req.method === "GET" && SHOWS_TITLES.test(req.path)) await setTitleWidgets(deps, res, profile.id);
      return next();
    }
    if (needsProfile(req.path)) return toPicker(req, res);
    next();
  };
}

function selectedProfile(req: Request): ProfileView | null {
  const id = req.session.profileId;
  if (!id) return null;
  const profile = req.accountProfiles?.find((p) => p.id === id);
  // Deleted on another device: forget it and choose again.
  if (!profile) delete req.session.profileId;
  return profile ?? null;
}

/** The signed-in account's profiles as read with the user; the first one is created on the first visit. */
export async function accountProfiles(deps: Pick<Deps, "models">, req: Request): Promise<ProfileView[]> {
  return req.accountProfiles?.length ? req.accountProfiles : ensureProfiles(deps, req.user!);
}

/**
 * An account with a single profile and no PIN has nobody to choose between, so that profile
 * is entered directly; with two or more (or a PIN) the picker asks.
 */
async function autoSelect(deps: Pick<Deps, "models">, req: Request): Promise<ProfileView | null> {
  const profiles = await accountProfiles(deps, req);
  const only = profiles.length === 1 ? profiles[0]! : null;
  if (!only || only.locked) return null;
  req.session.profileId = only.id;
  return only;
}

export function setProfile(req: Request, res: Response, profile: ProfileView): void {
  req.profile = profile;
  res.locals.profile = profile;
  const viewer: Viewer = profile.maxMaturity ? { maxMaturity: profile.maxMaturity } : {};
  req.viewer = viewer;
  res.locals.viewer = viewer;
}

/** Fills the catalog templates' action slots (My List, thumbs, remove from row) for this profile. */
async function setTitleWidgets(deps: Pick<Deps, "models" | "redis" | "logger" | "cache">, res: Response, profileId: string): Promise<void> {
  res.locals.titleState = await loadTitleState(deps, profileId, res.locals.seenVersions as SeenVersions);
  res.locals.cardActions = "/my-list/_card-actions";
  res.locals.titleActions = "/my-list/_title-actions";
}

function toPicker(req: Request, res: Response): void {
  const next = req.method === "GET" ? req.originalUrl : "/browse";
  redirectTo(req, res, `/profiles?next=${encodeURIComponent(next)}`);
}

/** Route guard for per-profile actions: the middleware above has already redirected pages. */
export const requireProfile: RequestHandler = (req, res, next) => {
  if (!req.profile) return toPicker(req, res);
  next();
};

/** The active profile's ceiling, set by the profiles middleware; none means the whole catalog. */
export function viewerOf(res: Response): Viewer {
  return (res.locals.viewer as Viewer | undefined) ?? {};
}

export function browseContext(req: Request, res: Response): BrowsePageContext {
  const profile = res.locals.profile as ProfileView | undefined;
  const titleState = res.locals.titleState as TitleState | undefined;
  return { viewer: viewerOf(res), profile: profile ? { id: profile.id, name: profile.name } : null, userId: req.user!.id, locale: req.locale, titleState };
}
