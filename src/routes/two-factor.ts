// Two-step sign-in: the code step after the password, and turning it on (QR code, code check,
// recovery codes shown once) or off from the account page. Admins are sent here until it is on.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  confirmEmailChange,
  confirmTwoFactorSetup,
  currentTwoFactorSetup,
  disableTwoFactor,
  indexSession,
  startTwoFactorSetup,
  twoFactorStatus,
  verifySecondFactor,
} from "../services/accounts/index.js";
import { csrf } from "../lib/csrf.js";
import type { Deps } from "../deps.js";
import { AppError, ValidationError } from "../lib/errors.js";
import { dateHelpers } from "../lib/format-date.js";
import { flashAndRedirect } from "../lib/respond.js";
import { csrfField, fields, parseInput, parseQuery } from "../lib/validation.js";
import { render } from "../lib/views.js";
import { requireAdultProfile } from "./middleware/adult-profile.js";
import { requireUser } from "./middleware/auth.js";
import { pendingSignIn, rotateSession } from "./middleware/session.js";
import { completeSignIn, landingAfterSignIn } from "./middleware/sign-in.js";

const codeField = z.string().trim().min(1, "validation.required").max(20, "validation.tooLong");
const codeSchema = z.strictObject({ ...csrfField, code: codeField });
const passwordSchema = z.strictObject({ ...csrfField, password: fields.password });
const confirmQuery = z.object({ token: z.string().max(100).default("") }).loose();

export const TWO_FACTOR_PATH = "/account/two-factor";

export function twoFactorRouter(deps: Deps): Router {
  const router = Router();

  // The code step of a sign-in: only for a browser whose password was just accepted.
  router.get("/login/two-factor", (req, res) => {
    if (req.user) return res.redirect(303, "/browse");
    if (!pendingSignIn(req)) return res.redirect(303, "/login");
    renderCodeStep(req, res, {});
  });

  router.post("/login/two-factor", async (req, res) => {
    const pending = pendingSignIn(req);
    if (!pending) return flashAndRedirect(req, res, "/login", "security.twoFactor.signInAgain", undefined, "error");
    let used;
    try {
      const input = parseInput(codeSchema, req.body);
      used = await verifySecondFactor(deps, pending.userId, input.code);
    } catch (err) {
      if (err instanceof ValidationError) return renderCodeStep(req, res, { fieldErrors: err.fields }, 422);
      if (err instanceof AppError && err.status === 429) return renderCodeStep(req, res, { errorKey: err.messageKey }, 429);
      throw err;
    }
    await completeSignIn(deps, req, res, pending.userId);
    if (used === "recovery") {
      const { recoveryCodesLeft } = await twoFactorStatus(deps, pending.userId);
      return flashAndRedirect(req, res, TWO_FACTOR_PATH, "security.twoFactor.recoveryUsed", { count: String(recoveryCodesLeft) });
    }
    res.redirect(303, await landingAfterSignIn(deps, pending.userId, pending.next));
  });

  // The link mailed to a new address: works from any browser, signed in or not, once.
  router.get("/email-change/confirm", async (req, res) => {
    res.set("Referrer-Policy", "no-referrer");
    const { token } = parseQuery(confirmQuery, req.query);
    await confirmEmailChange(deps, token, req.ip);
    await flashAndRedirect(req, res, req.user ? "/account" : "/login", "security.email.changed");
  });

  router.use(TWO_FACTOR_PATH, requireUser, requireAdultProfile, (_req, res, next) => {
    // The setup page carries the key and the recovery codes: never stored by a cache.
    res.set("Cache-Control", "no-store");
    next();
  });

  async function renderStatus(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const state = await twoFactorStatus(deps, req.user!.id);
    renderPage(req, res, { view: "status", state, ...extra }, status);
  }

  router.get(TWO_FACTOR_PATH, async (req, res) => {
    await renderStatus(req, res);
  });

  router.post(`${TWO_FACTOR_PATH}/setup`, async (req, res) => {
    try {
      const input = parseInput(passwordSchema, req.body);
      const setup = await startTwoFactorSetup(deps, req.user!.id, input.password);
      renderPage(req, res, { view: "setup", setup });
    } catch (err) {
      if (err instanceof ValidationError) return renderStatus(req, res, { fieldErrors: err.fields }, 422);
      throw err;
    }
  });

  router.post(`${TWO_FACTOR_PATH}/enable`, async (req, res) => {
    try {
      const input = parseInput(codeSchema, req.body);
      const codes = await confirmTwoFactorSetup(deps, req.user!.id, input.code, req.sessionID, req.ip);
      // A stronger sign-in state gets a new session id, like a password change.
      const profileId = req.session.profileId;
      await rotateSession(req);
      req.session.profileId = profileId;
      await indexSession(deps.redis, req.user!.id, req.sessionID);
      res.locals.csrfToken = csrf.generateToken(req);
      renderPage(req, res, { view: "codes", codes });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const setup = await currentTwoFactorSetup(deps, req.user!.id);
      if (!setup) return renderStatus(req, res, {}, 400);
      renderPage(req, res, { view: "setup", setup, fieldErrors: err.fields }, 422);
    }
  });

  router.post(`${TWO_FACTOR_PATH}/disable`, async (req, res) => {
    try {
      const input = parseInput(passwordSchema, req.body);
      await disableTwoFactor(deps, req.user!.id, input.password, req.ip);
    } catch (err) {
      if (err instanceof ValidationError) return renderStatus(req, res, { fieldErrors: err.fields }, 422);
      throw err;
    }
    await flashAndRedirect(req, res, TWO_FACTOR_PATH, "security.twoFactor.turnedOff");
  });

  return router;
}

function renderCodeStep(req: Request, res: Response, data: Record<string, unknown>, status = 200) {
  res.locals.csrfToken = csrf.generateToken(req);
  render(res, "auth/two-factor", { fieldErrors: {}, ...data }, status);
}

function renderPage(req: Request, res: Response, data: Record<string, unknown>, status = 200) {
  render(res, "account/two-factor", { fieldErrors: {}, ...dateHelpers(req.locale), ...data }, status);
}
