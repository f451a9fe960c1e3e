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

/**
 * The tallest rendition a plan's quality allows, in lines: "480p" -> 480, "4K+HDR" -> 2160.
 * A quality naming neither (a custom plan) allows every rendition.
 */
export function qualityHeight(quality: string): number {
  const lines = /(\d{3,4})p/i.exec(quality);
  if (lines) return Number(lines[1]);
  const k = /(\d)K/i.exec(quality);
  if (k) return Number(k[1]) === 8 ? 4320 : 2160;
  return Number.POSITIVE_INFINITY;
}

/** What a subscriber's plan allows: the tallest rendition and the number of streams at once. */
export function planLimits(config: Pick<Config, "plans">, planId: string | null | undefined): { maxHeight: number; screens: number } {
  const plan = findPlan(config, planId);
  // An active subscription on a plan no longer offered keeps the smallest allowance.
  if (!plan) return { maxHeight: 480, screens: 1 };
  return { maxHeight: qualityHeight(plan.quality), screens: plan.screens };
}
