// expire-subscriptions (hourly): active subscriptions past their period end become expired/canceled.
import type { Deps } from "../lib/deps.js";
import { expireSubscriptions } from "../services/subscriptions.js";

export async function expireSubscriptionsTask(deps: Deps) {
  const r = await expireSubscriptions(deps, { actor: "job:expire-subscriptions" });
  return { due: r.users.length, expired: r.expired, plansSwitched: r.plansSwitched };
}
