// Forgot password: ask for a link (same answer for every address), then set a new password from it.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { isResetLinkLive, requestPasswordReset, resetPassword } from "../services/accounts/index.js";
import { csrf } from "../lib/csrf.js";
import type { Deps } from "../deps.js";
import { AppError, ValidationError } from "../lib/errors.js";
import { flashAndRedirect } from "../lib/respond.js";
import { csrfField, fields, parseInput, parseQuery } from "../lib/validation.js";
import { render } from "../lib/views.js";

const forgotSchema = z.strictObject({ ...csrfField, email: fields.email });
const tokenField = z.string().max(100);
const resetQuery = z.object({ token: tokenField.optional() }).loose();
const resetSchema = z.strictObject({ ...csrfField, token: tokenField, password: fields.password, confirmPassword: fields.password });

export function passwordResetRouter(deps: Deps): Router {
  const router = Router();

  router.get("/forgot-password", (req, res) => {
    renderForm(req, res, "auth/forgot", { values: { email: req.session.loginEmail ?? "" } });
  });

  router.post("/forgot-password", async (req, res) => {
    const values = { email: String(req.body?.email ?? "") };
    try {
      const input = parseInput(forgotSchema, req.body);
      await requestPasswordReset(deps, input.email, req.ip);
      req.session.loginEmail = input.email;
      await flashAndRedirect(req, res, "/login", "auth.reset.linkSent");
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, "auth/forgot", { values, fieldErrors: err.fields }, 422);
      if (err instanceof AppError && err.status === 429) return renderForm(req, res, "auth/forgot", { values, errorKey: err.messageKey }, 429);
      throw err;
    }
  });

  router.get("/reset-password", async (req, res) => {
    const { token = "" } = parseQuery(resetQuery, req.query);
    // The secret is in the URL: keep it out of referrers sent from this page.
    res.set("Referrer-Policy", "no-referrer");
    if (!(await isResetLinkLive(deps, token))) return renderForm(req, res, "auth/reset", { token: "", invalid: true }, 400);
    renderForm(req, res, "auth/reset", { token });
  });

  router.post("/reset-password", async (req, res) => {
    res.set("Referrer-Policy", "no-referrer");
    const token = String(req.body?.token ?? "");
    try {
      const input = parseInput(resetSchema, req.body);
      await resetPassword(deps, input, req.ip);
      await flashAndRedirect(req, res, "/login", "auth.reset.done");
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, "auth/reset", { token, fieldErrors: err.fields }, 422);
      if (err instanceof AppError && err.status === 400 && err.messageKey === "auth.reset.invalidLink") {
        return renderForm(req, res, "auth/reset", { token: "", invalid: true }, 400);
      }
      throw err;
    }
  });

  return router;
}

function renderForm(req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200) {
  res.locals.csrfToken = csrf.generateToken(req);
  render(res, view, { fieldErrors: {}, values: {}, ...data }, status);
}
