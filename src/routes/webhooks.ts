// Payment provider webhook: HMAC-SHA256 over the raw body with a timestamp; mounted before the
// body parsers, sessions and CSRF, so it gets the exact bytes that were signed.
import express, { Router } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "../lib/hmac.js";
import { receiveProviderNotice } from "../services/billing/index.js";

const noticeSchema = z.strictObject({
  eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/),
  reference: z.string().regex(/^[A-Za-z0-9]{4,20}$/),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  paidAt: z.iso.datetime().optional(),
});

export function webhooksRouter(deps: Deps): Router {
  const router = Router();

  router.post("/webhooks/payments", express.raw({ type: "*/*", limit: "16kb" }), async (req, res) => {
    const secret = deps.config.billing.webhookSecret;
    if (!secret) return void res.status(503).json({ error: "webhook not configured" });
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifySignature({
      secret,
      rawBody,
      signature: req.get(SIGNATURE_HEADER),
      timestamp: req.get(TIMESTAMP_HEADER),
      now: deps.clock.now(),
      toleranceMs: deps.config.billing.webhookToleranceMs,
    });
    if (!check.ok) {
      req.log?.warn({ reason: check.reason }, "payment webhook refused");
      return void res.status(401).json({ error: "invalid signature" });
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return void res.status(400).json({ error: "malformed JSON" });
    }
    const parsed = noticeSchema.safeParse(body);
    if (!parsed.success) return void res.status(400).json({ error: "unexpected payload" });
    const n = parsed.data;
    // A signature is good once (a replay is answered, not applied), and only once it was processed.
    const result = await receiveProviderNotice(deps, req.get(SIGNATURE_HEADER)!, { ...n, paidAt: n.paidAt ? new Date(n.paidAt) : undefined });
    const status = result.status === "unknown-reference" ? 404 : result.status === "in-progress" ? 409 : 200;
    res.status(status).json({ status: result.status });
  });

  return router;
}
