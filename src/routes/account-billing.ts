// The billing part of the account: a page of its own, and change plan / cancel / resume.
import { Router } from "express";
import { z } from "zod";
import { requireAdultProfile } from "./middleware/adult-profile.js";
import { requireUser } from "./middleware/auth.js";
import { flashAndRedirect } from "../lib/respond.js";
import type { Deps } from "../deps.js";
import { dateHelpers } from "../lib/format-date.js";
import { safeNextPath } from "../lib/safe-redirect.js";
import { csrfField, idParam, parseInput, parseParams } from "../lib/validation.js";
import { render } from "../lib/views.js";
import { changePlan, getBillingSummary, getReceipt, setCancelAtPeriodEnd } from "../services/billing/index.js";
import { planIds } from "../services/billing/index.js";

export function accountBillingRouter(deps: Deps): Router {
  const router = Router();
  const next = z.string().max(200).optional();
  const planSchema = z.strictObject({ ...csrfField, plan: z.enum(planIds(deps.config)), next });
  const plainSchema = z.strictObject({ ...csrfField, next });
  const back = (value: string | undefined) => safeNextPath(value, "/account/billing");
  router.use("/account/billing", requireUser, requireAdultProfile);

  router.get("/account/billing", async (req, res) => {
    const billing = await getBillingSummary(deps, req.user!.id);
    render(res, "account/billing", { billing, ...dateHelpers(req.locale) });
  });

  // A printable receipt per approved payment (the print stylesheet leaves only the receipt).
  router.get("/account/billing/receipts/:id", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "billing.receiptNotFound");
    const receipt = await getReceipt(deps, req.user!.id, id);
    render(res, "account/receipt", { receipt, ...dateHelpers(req.locale) });
  });

  router.post("/account/billing/plan", async (req, res) => {
    const input = parseInput(planSchema, req.body);
    await changePlan(deps, req.user!.id, input.plan, req.ip);
    await flashAndRedirect(req, res, back(input.next), "billing.planSaved");
  });

  for (const [path, cancel, key] of [
    ["/account/billing/cancel", true, "billing.canceled"],
    ["/account/billing/resume", false, "billing.resumed"],
  ] as const) {
    router.post(path, async (req, res) => {
      const input = parseInput(plainSchema, req.body);
      await setCancelAtPeriodEnd(deps, req.user!.id, cancel, req.ip);
      await flashAndRedirect(req, res, back(input.next), key);
    });
  }

  return router;
}
