// Which payment an operator means: "approve <user>" picks the user's open payment, or the one named.
import { Types } from "mongoose";
import type { Deps } from "../../deps.js";
import { NotFoundError } from "../../lib/errors.js";
import { resolveUser } from "../accounts/index.js";
import { findOpenPayment, listUserPayments } from "./payments.js";

const DECIDED_AS = { approve: "approved", reject: "rejected" } as const;

/**
 * With no open payment, the user's newest payment is the one meant when it already has the
 * outcome asked for: repeating "approve <user>" then answers "already approved" instead of failing.
 */
export async function paymentForDecision(deps: Pick<Deps, "models">, userRef: string, paymentId?: string, intent?: "approve" | "reject") {
  const user = await resolveUser(deps, userRef);
  if (paymentId) {
    if (!Types.ObjectId.isValid(paymentId)) throw new NotFoundError("payments.notFound");
    const payment = await deps.models.Payment.findOne({ _id: paymentId, userId: user._id }).lean();
    if (!payment) throw new NotFoundError("payments.notFound");
    return payment;
  }
  const open = await findOpenPayment(deps, String(user._id));
  if (open) return open;
  const [newest] = await listUserPayments(deps, String(user._id), 1);
  if (newest && intent && newest.status === DECIDED_AS[intent]) return newest;
  throw new NotFoundError("payments.noOpenPayment");
}
