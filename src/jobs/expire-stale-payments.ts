// expire-stale-payments (daily): pending payments nobody paid in time are closed.
import type { Deps } from "../deps.js";
import { expireStalePayments } from "../services/billing/index.js";

export async function expireStalePaymentsTask(deps: Deps) {
  return expireStalePayments(deps);
}
