// expire-stale-payments (daily): pending payments nobody paid in time are closed.
import type { Deps } from "../lib/deps.js";
import { expireStalePayments } from "../services/payments-approval.js";

export async function expireStalePaymentsTask(deps: Deps) {
  return expireStalePayments(deps);
}
