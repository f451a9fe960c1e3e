// The account page: membership and billing, password, devices and sign-outs, deleting the account.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { flashAndRedirect, redirectTo } from "../lib/respond.js";
import type { Deps } from "../deps.js";
import { requireAdultProfile } from "./middleware/adult-profile.js";
import { requireUser } from "./middleware/auth.js";
import { ValidationError } from "../lib/errors.js";
import { dateHelpers } from "../lib/format-date.js";
import { endSession, rotateSession, sessionCookieName } from "./middleware/session.js";
import { csrfField, fields, parseInput, parseParams } from "../lib/validation.js";
import { render, wantsFragment } from "../lib/views.js";
import { changePassword, deleteAccount, getAccount, listDevices, requestEmailChange, signOutDevice, signOutOtherDevices } from "../services/accounts/index.js";
import { listProfiles } from "../services/accounts/index.js";
import { indexSession } from "../services/accounts/index.js";
import { getBillingSummary } from "../services/billing/index.js";

const passwordSchema = z.strictObject({
  ...csrfField,
  currentPassword: fields.password,
  newPassword: fields.password,
  confirmPassword: fields.password,
});
const plainSchema = z.strictObject({ ...csrfField });
const deleteSchema = z.strictObject({ ...csrfField, password: fields.password });
const emailSchema = z.strictObject({ ...csrfField, newEmail: fields.email, password: fields.password });
const deviceParam = z.strictObject({ key: z.string().regex(/^[A-Za-z0-9_-]{10,40}$/) });

export function accountRouter(deps: Deps): Router {
  const router = Router();
  // Every /account page (billing and devices included) needs a grown-up profile.
  router.use("/account", requireUser, requireAdultProfile);

  async function renderAccount(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const userId = req.user!.id;
    const [account, billing, devices, profiles] = await Promise.all([
      getAccount(deps, userId),
      getBillingSummary(deps, userId),
      listDevices(deps, userId, req.sessionID),
      listProfiles(deps, userId),
    ]);
    render(res, "account/index", { account, billing, devices, profiles, passwordErrors: {}, emailErrors: {}, ...dateHelpers(req.locale), ...extra }, status);
  }

  function renderDevices(req: Request, res: Response, devices: Awaited<ReturnType<typeof listDevices>>) {
    render(res, "account/_devices", { devices, ...dateHelpers(req.locale) });
  }

  router.get("/account", async (req, res) => {
    await renderAccount(req, res);
  });

  // A new password ends every other session and moves this one to a new id.
  router.post("/account/password", async (req, res) => {
    try {
      const input = parseInput(passwordSchema, req.body);
      await changePassword(deps, req.user!.id, input, req.ip);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderAccount(req, res, { passwordErrors: err.fields }, 422);
    }
    const profileId = req.session.profileId;
    await rotateSession(req);
    req.session.profileId = profileId;
    await signOutOtherDevices(deps, req.user!.id, req.sessionID);
    await indexSession(deps.redis, req.user!.id, req.sessionID);
    await flashAndRedirect(req, res, "/account", "account.passwordChanged");
  });

  // A new address applies only once the link mailed to it is used (routes/two-factor.ts).
  router.post("/account/email", async (req, res) => {
    const emailValues = { newEmail: String(req.body?.newEmail ?? "").slice(0, 254) };
    try {
      const input = parseInput(emailSchema, req.body);
      await requestEmailChange(deps, req.user!.id, input, req.ip);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderAccount(req, res, { emailErrors: err.fields, emailValues }, 422);
    }
    await flashAndRedirect(req, res, "/account", "security.email.sent");
  });

  router.post("/account/devices/sign-out-others", async (req, res) => {
    parseInput(plainSchema, req.body);
    await signOutOtherDevices(deps, req.user!.id, req.sessionID, { ip: req.ip });
    if (wantsFragment(req, res, "devices")) return renderDevices(req, res, await listDevices(deps, req.user!.id, req.sessionID));
    await flashAndRedirect(req, res, "/account#devices", "account.signedOutOthers");
  });

  router.post("/account/devices/:key/sign-out", async (req, res) => {
    const { key } = parseParams(deviceParam, req.params, "account.deviceNotFound");
    parseInput(plainSchema, req.body);
    const { current } = await signOutDevice(deps, req.user!.id, key, req.sessionID, req.ip);
    if (current) {
      await endSession(req, deps.redis);
      res.clearCookie(sessionCookieName(deps.config), { path: "/" });
      return redirectTo(req, res, "/login");
    }
    if (wantsFragment(req, res, "devices")) return renderDevices(req, res, await listDevices(deps, req.user!.id, req.sessionID));
    await flashAndRedirect(req, res, "/account#devices", "account.signedOutDevice");
  });

  router.get("/account/delete", (_req, res) => {
    render(res, "account/delete", { fieldErrors: {} });
  });

  router.post("/account/delete", async (req, res) => {
    try {
      const input = parseInput(deleteSchema, req.body);
      await deleteAccount(deps, req.user!.id, input.password);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(res, "account/delete", { fieldErrors: err.fields }, 422);
    }
    await endSession(req, deps.redis);
    res.clearCookie(sessionCookieName(deps.config), { path: "/" });
    res.locals.user = undefined;
    res.locals.profile = undefined;
    res.locals.csrfToken = undefined;
    render(res, "account/deleted");
  });

  return router;
}
