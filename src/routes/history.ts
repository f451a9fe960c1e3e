// The active profile's viewing history, newest first, paged by time.
import { Router } from "express";
import { z } from "zod";
import { pageOrFragment } from "../lib/respond.js";
import type { Deps } from "../deps.js";
import { requireUser } from "./middleware/auth.js";
import { requireProfile } from "./middleware/profile-context.js";
import { csrfField, parseInput, parseQuery } from "../lib/validation.js";
import { historyCsv, listHistory, removeFromHistory } from "../services/watching/index.js";

const historyQuery = z.object({ before: z.iso.datetime().optional() });

export function historyRouter(deps: Deps): Router {
  const router = Router();

  router.get("/history", requireUser, requireProfile, async (req, res) => {
    const { before } = parseQuery(historyQuery, req.query);
    const page = await listHistory(deps, req.profile!.id, req.viewer ?? {}, before ? new Date(before) : undefined);
    const data = { page, dateFormat: new Intl.DateTimeFormat(req.locale === "vi" ? "vi-VN" : "en-GB", { dateStyle: "medium" }) };
    pageOrFragment(req, res, { targetId: "history-more", fragment: "history/_items", page: "history/index" }, data);
  });

  // The profile's whole viewing activity as a file (UTF-8 with a BOM, so spreadsheets read it right).
  router.get("/history.csv", requireUser, requireProfile, async (req, res) => {
    const csv = await historyCsv(deps, req.profile!.id, req.viewer ?? {});
    res.set("Content-Disposition", 'attachment; filename="viewing-activity.csv"');
    res.set("Cache-Control", "no-store");
    res.type("text/csv; charset=utf-8").send(`\ufeff${csv}`);
  });

  router.post("/history/:titleId/:episode/hide", requireUser, requireProfile, async (req, res) => {
    parseInput(z.strictObject({ ...csrfField }), req.body);
    await removeFromHistory(deps, req.profile!.id, String(req.params.titleId), String(req.params.episode));
    res.vary("HX-Request");
    // The item's own form asked: answer with nothing, which removes the item in place.
    if (req.get("HX-Request") === "true") return void res.status(200).type("html").send("");
    res.redirect(303, "/history");
  });

  return router;
}
