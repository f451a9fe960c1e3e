// CSV exports of users and payments, streamed row by row; cells that a spreadsheet would run as a formula are neutralized.
import type { Deps } from "../lib/deps.js";
import type { PaymentStatus } from "../models/payment.js";
import { userSearchFilter, type UserSearch } from "./admin-users.js";

export function csvCell(value: unknown): string {
  let s = value instanceof Date ? value.toISOString() : value === null || value === undefined ? "" : String(value);
  // OWASP CSV injection: a leading = + - @ tab or CR makes spreadsheets evaluate the cell.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(",") + "\r\n";

export async function* usersCsv(deps: Pick<Deps, "models">, search: Omit<UserSearch, "page" | "pageSize">): AsyncGenerator<string> {
  yield csvLine(["id", "email", "displayName", "role", "status", "plan", "subscription", "currentPeriodEnd", "createdAt"]);
  const cursor = deps.models.User.find(userSearchFilter(search), { passwordHash: 0 }).sort({ createdAt: -1 }).lean().cursor();
  for await (const u of cursor) {
    yield csvLine([u._id, u.email, u.displayName, u.role, u.status, u.subscription?.plan, u.subscription?.status, u.subscription?.currentPeriodEnd, u.createdAt]);
  }
}

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
