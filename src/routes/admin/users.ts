// /admin/users: search and filter accounts; detail with suspend, extend, change plan, sign out; CSV export.
import { Router } from "express";
import { z } from "zod";
import { flashAndRedirect } from "../../lib/respond.js";
import type { Deps } from "../../deps.js";
import { csrfField, idParam, parseInput, parseParams } from "../../lib/validation.js";
import { render } from "../../lib/views.js";
import { SUBSCRIPTION_STATUSES, USER_STATUSES } from "../../services/accounts/index.js";
import { searchUsers, signOutEverywhere, suspendUser, unsuspendUser, usersCsv } from "../../services/accounts/index.js";
import { extendSubscription, getUserDetail, planIds, setPlanNow } from "../../services/billing/index.js";
import { adminActor } from "./respond.js";
import { streamCsv } from "./respond.js";

const PAGE_SIZE = 25;
const formBody = z.strictObject({ ...csrfField });

export function adminUsersRoutes(deps: Deps): Router {
  const router = Router();
  const searchQuery = z.object({
    q: z.string().trim().max(100).optional(),
    status: z.enum(USER_STATUSES).or(z.literal("")).optional(),
    subscription: z.enum(SUBSCRIPTION_STATUSES).or(z.literal("")).optional(),
    plan: z.enum(planIds(deps.config)).or(z.literal("")).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
  });
  const parseSearch = (query: unknown) => {
    const q = parseInput(searchQuery, query);
    return { q: q.q || undefined, status: q.status || undefined, subscription: q.subscription || undefined, plan: q.plan || undefined, page: q.page };
  };

  router.get("/users", async (req, res) => {
    const search = parseSearch(req.query);
    const result = await searchUsers(deps, { ...search, pageSize: PAGE_SIZE });
    const qs = new URLSearchParams(Object.entries(search).filter(([k, v]) => k !== "page" && v) as [string, string][]).toString();
    render(res, "admin/users", { search, result, qs, plans: deps.config.plans, userStatuses: USER_STATUSES, subStatuses: SUBSCRIPTION_STATUSES });
  });

  router.get("/users.csv", async (req, res) => {
    const { page: _page, ...search } = parseSearch(req.query);
    await streamCsv(res, "users", usersCsv(deps, search));
  });

  router.get("/users/:id", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "users.notFound");
    const detail = await getUserDetail(deps, id);
    render(res, "admin/user", { ...detail, plans: deps.config.plans });
  });

  router.post("/users/:id/suspend", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "users.notFound");
    parseInput(formBody, req.body);
    await suspendUser(deps, id, adminActor(req), req.ip);
    await flashAndRedirect(req, res, `/admin/users/${id}`, "admin.users.suspended");
  });

  router.post("/users/:id/unsuspend", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "users.notFound");
    parseInput(formBody, req.body);
    await unsuspendUser(deps, id, adminActor(req), req.ip);
    await flashAndRedirect(req, res, `/admin/users/${id}`, "admin.users.unsuspended");
  });

  router.post("/users/:id/sign-out", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "users.notFound");
    parseInput(formBody, req.body);
    await signOutEverywhere(deps, id, adminActor(req), req.ip);
    await flashAndRedirect(req, res, `/admin/users/${id}`, "admin.users.signedOut");
  });

  router.post("/users/:id/extend", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "users.notFound");
    const input = parseInput(
      z.strictObject({ ...csrfField, days: z.coerce.number().int().min(1, { error: "validation.invalid" }).max(366, { error: "validation.invalid" }) }),
      req.body,
    );
    await extendSubscription(deps, id, input.days, adminActor(req), req.ip);
    await flashAndRedirect(req, res, `/admin/users/${id}`, "admin.users.extended");
  });

  router.post("/users/:id/plan", async (req, res) => {
    const { id } = parseParams(idParam, req.params, "users.notFound");
    const input = parseInput(z.strictObject({ ...csrfField, plan: z.enum(planIds(deps.config)) }), req.body);
    await setPlanNow(deps, id, input.plan, adminActor(req), req.ip);
    await flashAndRedirect(req, res, `/admin/users/${id}`, "admin.users.planChanged");
  });

  return router;
}
