// The payments CSV export, streamed row by row.
import type { Deps } from "../../deps.js";
import { csvLine } from "../../lib/csv.js";
import type { PaymentStatus } from "../../models/payment.js";

export async function* paymentsCsv(deps: Pick<Deps, "models">, status?: PaymentStatus): AsyncGenerator<string> {
  yield csvLine(["id", "userId", "email", "plan", "amount", "currency", "reference", "status", "createdAt", "decidedAt", "decidedBy", "reason"]);
  const filter: { status?: PaymentStatus } = status ? { status } : {};
  const cursor = deps.models.Payment.find(filter).sort({ createdAt: -1 }).lean().cursor();
  const emails = new Map<string, string>();
  for await (const p of cursor) {
    const uid = String(p.userId);
    if (!emails.has(uid)) emails.set(uid, (await deps.models.User.findById(uid, { email: 1 }).lean())?.email ?? "");
    yield csvLine([p._id, uid, emails.get(uid), p.plan, p.amount, p.currency, p.reference, p.status, p.createdAt, p.decidedAt, p.decidedBy, p.reason]);
  }
}
