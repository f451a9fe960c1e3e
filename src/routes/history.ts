// The active profile's viewing history, newest first, paged by time.
import { Router } from "express";
import { z } from "zod";
import { pageOrFragment } from "../lib/respond.js";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { requireProfile } from "./middleware/profile-context.js";
import { parseQuery } from "../lib/validation.js";
import { listHistory } from "../services/watching/index.js";

const historyQuery = z.object({ before: z.iso.datetime().optional() });

export function historyRouter(deps: Deps): Router {
  const router = Router();

  router.get("/history", requireUser, requireProfile, async (req, res) => {
    const { before } = parseQuery(historyQuery, req.query);
    const page = await listHistory(deps, req.profile!.id, req.viewer ?? {}, before ? new Date(before) : undefined);
    const data = { page, dateFormat: new Intl.DateTimeFormat(req.locale === "vi" ? "vi-VN" : "en-GB", { dateStyle: "medium" }) };
    pageOrFragment(req, res, { targetId: "history-more", fragment: "history/_items", page: "history/index" }, data);
  });

  return router;
}
