// /admin: the dashboard with counts and server-rendered SVG charts.
import { Router } from "express";
import type { Deps } from "../../deps.js";
import { render } from "../../lib/views.js";
import { barChart, dashboardStats } from "../../services/ops/index.js";

export function adminDashboardRoutes(deps: Deps): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    const stats = await dashboardStats(deps);
    render(res, "admin/dashboard", {
      stats,
      revenueChart: barChart(stats.revenueByMonth, { maxLabels: 6 }),
      signupChart: barChart(stats.signupsByDay, { maxLabels: 6 }),
    });
  });
  return router;
}
