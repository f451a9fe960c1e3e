// My List and thumbs: the page, and the two widgets that swap themselves in place (or post and
// redirect back without JavaScript).
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { requireProfile } from "./middleware/profile-context.js";
import { safeNextPath } from "../lib/safe-redirect.js";
import { csrfField, ids, parseInput, parseParams } from "../lib/validation.js";
import { render, wantsFragment } from "../lib/views.js";
import { catalogView } from "../services/catalog/index.js";
import { isInMyList, listMyList, setInMyList } from "../services/watching/index.js";
import { getRating, setRating, type RatingChoice } from "../services/watching/index.js";

const titleParam = z.strictObject({ titleId: ids.objectId });
const listSchema = z.strictObject({
  ...csrfField,
  inList: z.enum(["0", "1"]),
  next: z.string().max(500).optional(),
  // Which copy of the button (a row's card or the dialog) sent it; part of the widget's id.
  slot: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/)
    .optional(),
  compact: z.literal("1").optional(),
});
const ratingSchema = z.strictObject({ ...csrfField, value: z.enum(["-1", "0", "1", "2"]), next: z.string().max(500).optional() });

function titleIdOf(req: Request): string {
  return parseParams(titleParam, req.params, "catalog.titleNotFound").titleId;
}

const viewer = (req: Request) => req.viewer ?? {};

export function myListRouter(deps: Deps): Router {
  const router = Router();
  router.use(["/my-list", "/ratings"], requireUser, requireProfile);

  router.get("/my-list", async (req, res) => {
    const items = await listMyList(deps, req.profile!.id, viewer(req));
    render(res, "my-list/index", { items, cv: catalogView(req.locale, res.locals.t), dialog: true });
  });

  router.get("/my-list/:titleId", async (req, res) => {
    const titleId = titleIdOf(req);
    const inList = await isInMyList(deps, req.profile!.id, titleId);
    renderButton(res, titleId, inList);
  });

  router.post("/my-list/:titleId", async (req, res) => {
    const titleId = titleIdOf(req);
    const input = parseInput(listSchema, req.body);
    const card = await setInMyList(deps, req.profile!.id, viewer(req), titleId, input.inList === "1");
    const widgetId = `mylist-${input.slot ? `${input.slot}-` : ""}${titleId}`;
    if (wantsFragment(req, res, widgetId)) {
      return render(res, "my-list/_button", {
        actionTitleId: titleId,
        inList: input.inList === "1",
        slot: input.slot,
        compact: Boolean(input.compact),
        card,
        returnTo: input.next ? safeNextPath(input.next) : undefined,
      });
    }
    res.redirect(303, safeNextPath(input.next, "/my-list"));
  });

  router.delete("/my-list/:titleId", async (req, res) => {
    const titleId = titleIdOf(req);
    await setInMyList(deps, req.profile!.id, viewer(req), titleId, false);
    renderButton(res, titleId, false);
  });

  router.get("/ratings/:titleId", async (req, res) => {
    const titleId = titleIdOf(req);
    renderThumbs(res, titleId, await getRating(deps, req.profile!.id, titleId));
  });

  router.post("/ratings/:titleId", async (req, res) => {
    const titleId = titleIdOf(req);
    const input = parseInput(ratingSchema, req.body);
    const value = Number(input.value) as RatingChoice;
    await setRating(deps, req.profile!.id, viewer(req), titleId, value);
    if (wantsFragment(req, res, `thumbs-${titleId}`)) return renderThumbs(res, titleId, value, input.next);
    res.redirect(303, safeNextPath(input.next, "/browse"));
  });

  return router;
}

function renderButton(res: Response, titleId: string, inList: boolean) {
  render(res, "my-list/_button", { actionTitleId: titleId, inList });
}

// `returnTo` keeps the no-JavaScript fallback pointing at the page the widget sits on.
function renderThumbs(res: Response, titleId: string, rating: RatingChoice, next?: string) {
  render(res, "my-list/_thumbs", { actionTitleId: titleId, rating, returnTo: next ? safeNextPath(next) : undefined });
}
