// Sign up, sign in, sign out. Both forms answer the same way whether or not an email exists.
import { Router } from "express";
import { z } from "zod";
import { authenticate, needsSecondFactor, registerUser } from "../services/accounts/index.js";
import { takeAttempt } from "../lib/attempts.js";
import { csrf } from "../lib/csrf.js";
import { flashAndRedirect } from "../lib/respond.js";
import type { Deps } from "../deps.js";
import { AppError, ValidationError } from "../lib/errors.js";
import { loginLimiters } from "../lib/rate-limit.js";
import { safeNextPath } from "../lib/safe-redirect.js";
import { beginPendingSignIn, endSession } from "./middleware/session.js";
import { completeSignIn, landingAfterSignIn } from "./middleware/sign-in.js";
import { csrfField, fields, nextQuery, parseInput, parseQuery } from "../lib/validation.js";
import { render } from "../lib/views.js";
import { sessionCookieName } from "./middleware/session.js";

const loginSchema = z.strictObject({ ...csrfField, email: fields.email, password: fields.password, next: z.string().max(500).optional() });
const registerSchema = z.strictObject({ ...csrfField, email: fields.email, displayName: fields.displayName, password: fields.password });

export function authRouter(deps: Deps): Router {
  const router = Router();
  // Each registration costs an argon2 hash (19 MiB): counted per IP before it runs.
  const registrations = {
    name: "register",
    max: deps.config.attempts.registerPerIpPerHour,
    windowSeconds: 3600,
    messageKey: "auth.tooManyRegistrations",
  };

  router.get("/login", (req, res) => {
    const { next } = parseQuery(nextQuery, req.query);
    if (req.user) return res.redirect(303, safeNextPath(next));
    const email = req.session.loginEmail ?? "";
    renderLogin(req, res, { values: { email, next: next ?? "" } });
  });

  router.post("/login", ...loginLimiters(deps.config, deps.redis, deps.logger), async (req, res) => {
    const input = parseInput(loginSchema, req.body);
    try {
      const user = await authenticate(deps, input.email, input.password);
      // With 2FA on, the password opens only the code step (routes/two-factor.ts).
      if (await needsSecondFactor(deps, user.id)) {
        await beginPendingSignIn(req, user.id, input.next);
        return res.redirect(303, "/login/two-factor");
      }
      await completeSignIn(deps, req, res, user.id);
      res.redirect(303, await landingAfterSignIn(deps, user, input.next));
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 401 && err.status !== 403)) throw err;
      renderLogin(req, res, { values: { email: input.email, next: input.next ?? "" }, errorKey: err.messageKey }, err.status);
    }
  });

  router.get("/register", (req, res) => {
    if (req.user) return res.redirect(303, "/browse");
    renderRegister(req, res, { values: {} });
  });

  router.post("/register", async (req, res) => {
    const values = { email: String(req.body?.email ?? ""), displayName: String(req.body?.displayName ?? "") };
    try {
      const input = parseInput(registerSchema, req.body);
      await takeAttempt(deps.redis, registrations, req.ip ?? "unknown");
      await registerUser(deps, { ...input, locale: req.locale });
      // Same answer for a new and a taken email: go sign in with the address filled in.
      req.session.loginEmail = input.email;
      await flashAndRedirect(req, res, "/login", "auth.registeredSignIn");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderRegister(req, res, { values, fieldErrors: err.fields }, 422);
    }
  });

  router.post("/logout", async (req, res) => {
    if (req.session) await endSession(req, deps.redis);
    res.clearCookie(sessionCookieName(deps.config), { path: "/" });
    res.redirect(303, "/");
  });

  return router;
}

function renderLogin(req: Parameters<typeof csrf.generateToken>[0], res: Parameters<typeof render>[0], data: Record<string, unknown>, status = 200) {
  res.locals.csrfToken = csrf.generateToken(req);
  render(res, "auth/login", { fieldErrors: {}, ...data }, status);
}

function renderRegister(req: Parameters<typeof csrf.generateToken>[0], res: Parameters<typeof render>[0], data: Record<string, unknown>, status = 200) {
  res.locals.csrfToken = csrf.generateToken(req);
  render(res, "auth/register", { fieldErrors: {}, ...data }, status);
}
