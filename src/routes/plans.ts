// Plans page and checkout: choose a plan, get one open pending payment with its transfer QR.
import { Router } from "express";
import { z } from "zod";
import { requireAdultProfile } from "./middleware/adult-profile.js";
import { requireUser } from "./middleware/auth.js";
import type { Deps } from "../deps.js";
import { dateHelpers } from "../lib/format-date.js";
import { csrfField, idParam, parseInput, parseParams } from "../lib/validation.js";
import { render } from "../lib/views.js";
import { cancelOpenPayment, findOpenPayment, getUserPayment, openCheckout, transferInstructions } from "../services/billing/index.js";
import { planIds } from "../services/billing/index.js";
import { getBillingSummary } from "../services/billing/index.js";

export function plansRouter(deps: Deps): Router {
  const router = Router();
  const checkoutSchema = z.strictObject({ ...csrfField, plan: z.enum(planIds(deps.config)) });
  // Choosing and paying for a plan is for a grown-up profile.
  router.use(["/plans", "/checkout"], requireUser, requireAdultProfile);

  router.get("/plans", async (req, res) => {
    const billing = await getBillingSummary(deps, req.user!.id);
    render(res, "plans/index", { billing, periodDays: deps.config.billing.periodDays, ...dateHelpers(req.locale) });
  });

  router.get("/checkout", async (req, res) => {
    const open = await findOpenPayment(deps, req.user!.id);
    if (!open) return res.redirect(303, "/plans");
    res.redirect(303, `/checkout/${String(open._id)}`);
  });

  router.post("/checkout", async (req, res) => {
    const input = parseInput(checkoutSchema, req.body);
    const { payment } = await openCheckout(deps, req.user!.id, input.plan);
    res.redirect(303, `/checkout/${String(payment._id)}`);
  });

  router.get("/checkout/:id", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "checkout.notFound");
    const payment = await getUserPayment(deps, req.user!.id, id);
    const open = payment.status === "pending" || payment.status === "confirmed";
    render(res, "checkout/show", {
      payment,
      transfer: open ? transferInstructions(deps.config, payment) : null,
      ...dateHelpers(req.locale),
    });
  });

  router.post("/checkout/:id/cancel", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "checkout.notFound");
    parseInput(z.strictObject({ ...csrfField }), req.body);
    await cancelOpenPayment(deps, req.user!.id, id);
    res.redirect(303, "/plans");
  });

  return router;
}
