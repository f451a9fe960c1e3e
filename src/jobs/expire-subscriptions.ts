// expire-subscriptions (hourly): active subscriptions past their period end become expired/canceled.
import type { Deps } from "../deps.js";
import { expireSubscriptions } from "../services/billing/index.js";

export async function expireSubscriptionsTask(deps: Deps) {
  const r = await expireSubscriptions(deps, { actor: "job:expire-subscriptions" });
  return { due: r.users.length, expired: r.expired, plansSwitched: r.plansSwitched };
}
