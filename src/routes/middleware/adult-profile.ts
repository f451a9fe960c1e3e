// Account, billing, devices and profile management need a grown-up profile, as on Netflix: a
// child on a kids profile must not cancel the plan, sign out the parents' devices, delete the
// account or lift their own maturity ceiling.
import type { RequestHandler } from "express";
import { ForbiddenError } from "../../lib/errors.js";

/**
 * Mount after requireUser. A session with no profile chosen yet is the account holder who just
 * signed in with the password; one inside a kids profile gets 403 and must switch profiles (a
 * grown-up profile can be PIN-locked).
 */
export const requireAdultProfile: RequestHandler = (req, _res, next) => {
  if (req.profile?.kids) return next(new ForbiddenError("errors.adultProfileNeeded"));
  next();
};
