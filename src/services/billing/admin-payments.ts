// Which payment an operator means: "approve <user>" picks the user's open payment, or the one named.
import { Types } from "mongoose";
import type { Deps } from "../../deps.js";
import { NotFoundError } from "../../lib/errors.js";
import { resolveUser } from "../accounts/index.js";
import { findOpenPayment } from "./payments.js";

export async function paymentForDecision(deps: Pick<Deps, "models">, userRef: string, paymentId?: string) {
  const user = await resolveUser(deps, userRef);
  if (paymentId) {
    if (!Types.ObjectId.isValid(paymentId)) throw new NotFoundError("payments.notFound");
    const payment = await deps.models.Payment.findOne({ _id: paymentId, userId: user._id }).lean();
    if (!payment) throw new NotFoundError("payments.notFound");
    return payment;
  }
  const open = await findOpenPayment(deps, String(user._id));
  if (!open) throw new NotFoundError("payments.noOpenPayment");
  return open;
}
