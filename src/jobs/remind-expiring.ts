// remind-expiring (daily): "your plan ends soon" events for periods ending within the reminder window.
import type { Deps } from "../deps.js";
import { remindExpiring } from "../services/billing/index.js";

export async function remindExpiringTask(deps: Deps) {
  return remindExpiring(deps);
}
