// /admin/jobs: every job with its schedule, next and last run, recent runs, and "run now".
import { Router } from "express";
import { z } from "zod";
import { flashAndRedirect } from "../../lib/respond.js";
import type { Deps } from "../../deps.js";
import { NotFoundError } from "../../lib/errors.js";
import { csrfField, ids, parseInput, parseParams } from "../../lib/validation.js";
import { render } from "../../lib/views.js";
import { findJob, JOBS, nextRunOf } from "../../jobs/schedule.js";
import { lastRunByJob, recentRuns, runJob } from "../../services/ops/index.js";
import { adminActor } from "./respond.js";

const nameParam = z.strictObject({ name: ids.name });

export function adminJobsRoutes(deps: Deps): Router {
  const router = Router();

  router.get("/jobs", async (_req, res) => {
    const last = await lastRunByJob(
      deps,
      JOBS.map((j) => j.name),
    );
    const jobs = JOBS.map((j) => ({ name: j.name, schedule: j.schedule, description: j.description, next: nextRunOf(j), last: last.get(j.name) ?? null }));
    render(res, "admin/jobs", { jobs, runs: await recentRuns(deps, { limit: 40 }) });
  });

  router.post("/jobs/:name/run", async (req, res) => {
    const { name } = parseParams(nameParam, req.params);
    parseInput(z.strictObject({ ...csrfField }), req.body);
    const job = findJob(name);
    if (!job) throw new NotFoundError();
    const result = await runJob(deps, job, { fireTime: deps.clock.now(), trigger: "manual", triggeredBy: adminActor(req), ip: req.ip });
    await flashAndRedirect(req, res, "/admin/jobs", `admin.jobs.result.${result.status}`, { job: name });
  });

  return router;
}
