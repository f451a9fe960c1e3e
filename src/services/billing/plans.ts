// Plans come from config (PLANS_JSON / CURRENCY); this is the one place that looks them up.
import type { Config, Plan } from "../../config.js";
import { NotFoundError } from "../../lib/errors.js";

export function listPlans(config: Pick<Config, "plans">): readonly Plan[] {
  return config.plans;
}

export function findPlan(config: Pick<Config, "plans">, id: string | null | undefined): Plan | undefined {
  return config.plans.find((p) => p.id === id);
}

export function getPlan(config: Pick<Config, "plans">, id: string): Plan {
  const plan = findPlan(config, id);
  if (!plan) throw new NotFoundError("plans.unknown");
  return plan;
}

export function planIds(config: Pick<Config, "plans">): [string, ...string[]] {
  return config.plans.map((p) => p.id) as [string, ...string[]];
}
