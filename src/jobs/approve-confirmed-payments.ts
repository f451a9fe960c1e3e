// approve-confirmed-payments (every minute): activates payments the provider webhook confirmed.
import type { Deps } from "../lib/deps.js";
import { approveConfirmedPayments } from "../services/payments-approval.js";

export async function approveConfirmedPaymentsTask(deps: Deps) {
  return approveConfirmedPayments(deps);
}
