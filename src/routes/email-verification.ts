// Confirming the address: the mailed link, and "resend" from the banner.
import { Router } from "express";
import { z } from "zod";
import { resendVerification, verifyEmail } from "../services/accounts/index.js";
import type { Deps } from "../deps.js";
import { flashAndRedirect } from "../lib/respond.js";
import { csrfField, parseInput, parseQuery } from "../lib/validation.js";
import { requireUser } from "./middleware/auth.js";

const verifyQuery = z.object({ token: z.string().max(100).default("") }).loose();
const resendSchema = z.strictObject({ ...csrfField });

export function emailVerificationRouter(deps: Deps): Router {
  const router = Router();

  // A GET, so the link works from any mail client; using it only ever confirms the address it was sent to.
  router.get("/verify-email", async (req, res) => {
    res.set("Referrer-Policy", "no-referrer");
    const { token } = parseQuery(verifyQuery, req.query);
    await verifyEmail(deps, token);
    await flashAndRedirect(req, res, req.user ? "/account" : "/login", "auth.verify.done");
  });

  router.post("/verify-email/resend", requireUser, async (req, res) => {
    parseInput(resendSchema, req.body);
    const outcome = await resendVerification(deps, req.user!.id);
    await flashAndRedirect(req, res, "/account", outcome === "sent" ? "auth.verify.sent" : "auth.verify.done");
  });

  return router;
}
