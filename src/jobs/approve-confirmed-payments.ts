// approve-confirmed-payments (every minute): activates payments the provider webhook confirmed.
import type { Deps } from "../deps.js";
import { approveConfirmedPayments } from "../services/billing/index.js";

export async function approveConfirmedPaymentsTask(deps: Deps) {
  return approveConfirmedPayments(deps);
}
