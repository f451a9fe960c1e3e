// /admin/payments: the queue of payments waiting for a decision; approve / reject swap the row in place.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { flashAndRedirect } from "../../lib/respond.js";
import type { Deps } from "../../deps.js";
import { AppError } from "../../lib/errors.js";
import { csrfField, idParam, parseInput, parseParams, parseQuery } from "../../lib/validation.js";
import { render, wantsFragment } from "../../lib/views.js";
import { PAYMENT_STATUSES } from "../../services/billing/index.js";
import { approvePayment, getPaymentRow, listPayments, paymentsCsv, rejectPayment } from "../../services/billing/index.js";
import { adminActor } from "./respond.js";
import { streamCsv } from "./respond.js";

const PAGE_SIZE = 30;
const listQuery = z.object({
  status: z.enum([...PAYMENT_STATUSES, "open", "all"]).default("open"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
const approveBody = z.strictObject({ ...csrfField });
const rejectBody = z.strictObject({
  ...csrfField,
  reason: z.string({ error: "payments.reasonRequired" }).trim().min(3, { error: "payments.reasonRequired" }).max(300, { error: "validation.invalid" }),
});

export function adminPaymentsRoutes(deps: Deps): Router {
  const router = Router();

  router.get("/payments", async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    const result = await listPayments(deps, { status: q.status === "all" ? undefined : q.status, limit: PAGE_SIZE, skip: (q.page - 1) * PAGE_SIZE });
    render(res, "admin/payments", { q, result, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)), statuses: ["open", "all", ...PAYMENT_STATUSES] });
  });

  router.get("/payments.csv", async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    await streamCsv(res, "payments", paymentsCsv(deps, q.status === "all" || q.status === "open" ? undefined : q.status));
  });

  router.post("/payments/:id/approve", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "payments.notFound");
    parseInput(approveBody, req.body);
    const r = await decide(req, res, id, () => approvePayment(deps, id, { actor: adminActor(req), ip: req.ip }));
    if (r) await rowOrBack(req, res, id, r.outcome === "approved" ? "admin.payments.approved" : "payments.alreadyApproved");
  });

  router.post("/payments/:id/reject", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "payments.notFound");
    const input = parseInput(rejectBody, req.body);
    const r = await decide(req, res, id, () => rejectPayment(deps, id, input.reason, { actor: adminActor(req), ip: req.ip }));
    if (r) await rowOrBack(req, res, id, r.outcome === "rejected" ? "admin.payments.rejected" : "payments.alreadyRejected");
  });

  /** The row after a decision, or the queue for a plain form post. */
  async function rowOrBack(req: Request, res: Response, id: string, messageKey: string) {
    if (wantsFragment(req, res, `payment-${id}`)) {
      return render(res, "admin/_payment-row", { p: await getPaymentRow(deps, id), messageKey });
    }
    await flashAndRedirect(req, res, "/admin/payments", messageKey);
  }

  /** A decision that lost (rejected after approve, ...) renders the row with the reason instead of an error page. */
  async function decide<T>(req: Request, res: Response, id: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409 || !wantsFragment(req, res, `payment-${id}`)) throw err;
      render(res, "admin/_payment-row", { p: await getPaymentRow(deps, id), messageKey: err.messageKey, error: true }, 409);
      return undefined;
    }
  }

  return router;
}
