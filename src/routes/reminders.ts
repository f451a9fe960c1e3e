// "Remind me" on Coming soon titles: the toggle swaps itself in place (or posts and redirects back
// without JavaScript), per profile, like the My List button.
import { Router } from "express";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { requireProfile } from "./middleware/profile-context.js";
import { safeNextPath } from "../lib/safe-redirect.js";
import { csrfField, ids, parseInput, parseParams } from "../lib/validation.js";
import { render, wantsFragment } from "../lib/views.js";
import { setReminder } from "../services/watching/index.js";

const titleParam = z.strictObject({ titleId: ids.objectId });
const reminderSchema = z.strictObject({
  ...csrfField,
  on: z.enum(["0", "1"]),
  next: z.string().max(500).optional(),
});

export function remindersRouter(deps: Deps): Router {
  const router = Router();
  router.use("/reminders", requireUser, requireProfile);

  router.post("/reminders/:titleId", async (req, res) => {
    const { titleId } = parseParams(titleParam, req.params, "catalog.titleNotFound");
    const input = parseInput(reminderSchema, req.body);
    const on = input.on === "1";
    const card = await setReminder(deps, { userId: req.user!.id, profileId: req.profile!.id }, req.viewer ?? {}, titleId, on);
    if (wantsFragment(req, res, `remind-${titleId}`)) {
      return render(res, "sections/_remind", { card, reminded: on, returnTo: input.next ? safeNextPath(input.next) : undefined });
    }
    res.redirect(303, safeNextPath(input.next, "/new"));
  });

  return router;
}
