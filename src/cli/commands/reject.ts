// netflix-admin reject <userId|email> --reason <text> [--payment <id>]
import type { Command } from "commander";
import { z } from "zod";
import { ids } from "../../lib/validation.js";
import { parseArgs } from "../args.js";
import { rejectPayment, paymentForDecision } from "../../services/billing/index.js";
import type { CliContext } from "../context.js";
import { printResult } from "../output.js";

const args = z.strictObject({
  json: z.boolean().optional(),
  payment: ids.objectId.optional(),
  reason: z.string().trim().min(3, "reason must be at least 3 characters").max(300),
});

/** Added twice: `netflix-admin reject` and `netflix-admin payments reject`. */
export function addRejectCommand(parent: Command, ctx: CliContext): void {
  parent
    .command("reject")
    .description("reject a user's waiting payment with a reason the user sees")
    .argument("<user>", "user id or email")
    .requiredOption("--reason <text>", "why the payment is rejected")
    .option("--payment <id>", "the payment to reject (default: the user's open payment)")
    .option("--json", "print JSON")
    .action(async (user: string, opts: unknown) => {
      const o = parseArgs(args, opts);
      const deps = await ctx.deps();
      const payment = await paymentForDecision(deps, user, o.payment, "reject");
      const r = await rejectPayment(deps, String(payment._id), o.reason, { actor: ctx.actor });
      printResult(ctx.output, Boolean(o.json), { outcome: r.outcome, paymentId: r.paymentId, reference: payment.reference }, () =>
        r.outcome === "rejected"
          ? `Rejected payment ${payment.reference} (${r.paymentId}).`
          : `Payment ${payment.reference} was already rejected; nothing changed.`,
      );
    });
}
