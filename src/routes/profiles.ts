// "Who's watching?": choose, unlock, add, edit, lock and delete profiles.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { confirmPassword } from "../services/accounts/index.js";
import {
  MATURITY_CHOICES,
  createProfile,
  deleteProfile,
  getOwnProfile,
  listProfiles,
  setProfilePin,
  toProfileView,
  unlockProfile,
  updateProfile,
} from "../services/accounts/index.js";
import { requireAdultProfile } from "./middleware/adult-profile.js";
import { requireUser } from "./middleware/auth.js";
import type { Deps } from "../deps.js";
import { ValidationError } from "../lib/errors.js";
import { accountProfiles, setProfile } from "./middleware/profile-context.js";
import { safeNextPath } from "../lib/safe-redirect.js";
import { save } from "./middleware/session.js";
import { csrfField, fields, idParam, nextQuery, parseInput, parseParams, parseQuery } from "../lib/validation.js";
import { render } from "../lib/views.js";
import { AVATARS } from "../services/accounts/index.js";

const profileSchema = z.strictObject({
  ...csrfField,
  name: fields.displayName.pipe(z.string().max(30, { error: "validation.nameTooLong" })),
  avatar: z.enum(AVATARS),
  kids: z.literal("on").optional(),
  maxMaturity: z.union([z.enum(MATURITY_CHOICES), z.literal("")]).optional(),
});
const selectSchema = z.strictObject({ ...csrfField, pin: z.string().max(8).optional(), next: z.string().max(500).optional() });
const pinSchema = z.strictObject({
  ...csrfField,
  password: fields.password,
  pin: z.string().max(8).optional(),
  remove: z.literal("1").optional(),
});

function profileInput(body: z.output<typeof profileSchema>) {
  return { name: body.name, avatar: body.avatar, kids: body.kids === "on", maxMaturity: body.maxMaturity || null };
}

export function profilesRouter(deps: Deps): Router {
  const router = Router();
  router.use("/profiles", requireUser);

  router.get("/profiles", async (req, res) => {
    const { next } = parseQuery(nextQuery, req.query);
    const profiles = await accountProfiles(deps, req);
    // Reached through a redirect from a boosted sign-in: show the picker's own URL, not /browse.
    if (req.get("HX-Request") === "true") res.set("HX-Push-Url", req.originalUrl);
    render(res, "profiles/picker", { profiles, next: safeNextPath(next) });
  });

  router.get("/profiles/manage", requireAdultProfile, async (req, res) => {
    const profiles = await accountProfiles(deps, req);
    render(res, "profiles/manage", { profiles });
  });

  router.post("/profiles/:id/select", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "profiles.notFound");
    const input = parseInput(selectSchema, req.body);
    try {
      const profile = await unlockProfile(deps, req.user!.id, id, input.pin);
      req.session.profileId = profile.id;
      await save(req);
      res.redirect(303, safeNextPath(input.next));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const profile = toProfileView(await getOwnProfile(deps, req.user!.id, id));
      render(res, "profiles/unlock", { target: profile, next: safeNextPath(input.next), fieldErrors: err.fields }, 422);
    }
  });

  router.get("/profiles/:id/unlock", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "profiles.notFound");
    const { next } = parseQuery(nextQuery, req.query);
    const profile = toProfileView(await getOwnProfile(deps, req.user!.id, id));
    render(res, "profiles/unlock", { target: profile, next: safeNextPath(next), fieldErrors: {} });
  });

  router.get("/profiles/new", requireAdultProfile, (_req, res) => {
    renderForm(res, { values: { name: "", avatar: "blue", kids: false, maxMaturity: null } });
  });

  router.post("/profiles", requireAdultProfile, async (req, res) => {
    try {
      const input = profileInput(parseInput(profileSchema, req.body));
      await createProfile(deps, req.user!.id, input);
      flash(req, "profiles.created");
      res.redirect(303, "/profiles/manage");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderForm(res, { values: formValues(req), fieldErrors: err.fields }, 422);
    }
  });

  router.get("/profiles/:id/edit", requireAdultProfile, async (req, res) => {
    const { id } = parseParams(idParam, req.params, "profiles.notFound");
    const profile = toProfileView(await getOwnProfile(deps, req.user!.id, id));
    const count = (await listProfiles(deps, req.user!.id)).length;
    renderForm(res, { target: profile, values: profile, canDelete: count > 1 });
  });

  router.post("/profiles/:id", requireAdultProfile, async (req, res) => {
    const { id } = parseParams(idParam, req.params, "profiles.notFound");
    const target = toProfileView(await getOwnProfile(deps, req.user!.id, id));
    try {
      const updated = await updateProfile(deps, req.user!.id, id, profileInput(parseInput(profileSchema, req.body)));
      if (req.profile?.id === updated.id) setProfile(req, res, updated);
      flash(req, "profiles.saved");
      res.redirect(303, "/profiles/manage");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderForm(res, { target, values: formValues(req), fieldErrors: err.fields }, 422);
    }
  });

  router.post("/profiles/:id/pin", requireAdultProfile, async (req, res) => {
    const { id } = parseParams(idParam, req.params, "profiles.notFound");
    const target = toProfileView(await getOwnProfile(deps, req.user!.id, id));
    const input = parseInput(pinSchema, req.body);
    try {
      await confirmPassword(deps, req.user!.id, input.password);
      await setProfilePin(deps, req.user!.id, id, input.remove ? null : (input.pin ?? ""));
      flash(req, input.remove ? "profiles.pinRemoved" : "profiles.pinSet");
      res.redirect(303, "/profiles/manage");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderForm(res, { target, values: target, pinErrors: err.fields }, 422);
    }
  });

  router.post("/profiles/:id/delete", requireAdultProfile, async (req, res) => {
    const { id } = parseParams(idParam, req.params, "profiles.notFound");
    parseInput(z.strictObject({ ...csrfField }), req.body);
    await deleteProfile(deps, req.user!.id, id);
    if (req.session.profileId === id) delete req.session.profileId;
    flash(req, "profiles.deleted");
    res.redirect(303, "/profiles/manage");
  });

  return router;
}

function flash(req: Request, key: string) {
  req.session.flash = { kind: "info", key };
}

function formValues(req: Request) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return {
    name: typeof body.name === "string" ? body.name : "",
    avatar: typeof body.avatar === "string" ? body.avatar : "red",
    kids: body.kids === "on",
    maxMaturity: typeof body.maxMaturity === "string" ? body.maxMaturity : null,
  };
}

function renderForm(res: Response, data: Record<string, unknown>, status = 200) {
  render(res, "profiles/form", { fieldErrors: {}, pinErrors: {}, avatars: AVATARS, maturityChoices: MATURITY_CHOICES, ...data }, status);
}
