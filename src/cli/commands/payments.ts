// netflix-admin payments list | approve | reject: the admin payments queue.
import type { Command } from "commander";
import { z } from "zod";
import { parseArgs } from "../args.js";
import { PAYMENT_STATUSES } from "../../services/billing/index.js";
import { resolveUser } from "../../services/accounts/index.js";
import { listPayments } from "../../services/billing/index.js";
import type { CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";
import { addApproveCommand } from "./approve.js";
import { addRejectCommand } from "./reject.js";

const args = z.strictObject({
  json: z.boolean().optional(),
  status: z.enum([...PAYMENT_STATUSES, "open", "all"], { error: `status must be one of: open, all, ${PAYMENT_STATUSES.join(", ")}` }).default("all"),
  user: z.string().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});

export function registerPaymentsCommands(program: Command, ctx: CliContext): void {
  const payments = program.command("payments").description("payments and their decisions");
  payments
    .command("list")
    .description("list payments, newest first")
    .option("--status <status>", "open | all | pending | confirmed | approved | rejected | expired", "all")
    .option("--user <user>", "only this user's payments (id or email)")
    .option("--limit <n>", "how many", "100")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const o = parseArgs(args, opts);
      const deps = await ctx.deps();
      const userId = o.user ? String((await resolveUser(deps, o.user))._id) : undefined;
      const { items } = await listPayments(deps, { status: o.status === "all" ? undefined : o.status, userId, limit: o.limit });
      const rows = items.map((p) => ({
        id: String(p._id),
        userId: String(p.userId),
        email: p.email,
        plan: p.plan,
        amount: p.amount,
        currency: p.currency,
        reference: p.reference,
        status: p.status,
        createdAt: p.createdAt,
        decidedBy: p.decidedBy ?? null,
        decidedAt: p.decidedAt ?? null,
        reason: p.reason ?? null,
      }));
      printResult(ctx.output, Boolean(o.json), rows, () =>
        formatTable(rows, ["id", "email", "plan", "amount", "currency", "reference", "status", "createdAt", "decidedBy"]),
      );
    });
  addApproveCommand(payments, ctx);
  addRejectCommand(payments, ctx);
}
