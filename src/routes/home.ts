// The landing page for visitors and the signed-in home.
import { Router } from "express";
import { z } from "zod";
import { setUserLocale } from "../services/accounts/index.js";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { LOCALES } from "../lib/i18n.js";
import { safeNextPath } from "../lib/safe-redirect.js";
import { csrfField, parseInput } from "../lib/validation.js";
import { render } from "../lib/views.js";

const languageSchema = z.strictObject({ ...csrfField, locale: z.enum(LOCALES), next: z.string().max(500).optional() });

export function homeRouter(deps: Deps): Router {
  const router = Router();

  router.get("/", (req, res) => {
    if (req.user) return res.redirect(303, "/browse");
    render(res, "home/landing", { plans: deps.config.plans, currency: deps.config.currency, periodDays: deps.config.billing.periodDays });
  });

  router.post("/account/language", requireUser, async (req, res) => {
    const input = parseInput(languageSchema, req.body);
    await setUserLocale(deps, req.user!.id, input.locale);
    res.redirect(303, safeNextPath(input.next));
  });

  return router;
}
