// netflix-admin approve <userId|email> [--payment <id>]: the same approval service the admin page uses.
import type { Command } from "commander";
import { z } from "zod";
import { ids } from "../../lib/validation.js";
import { parseArgs } from "../args.js";
import { approvePayment, paymentForDecision } from "../../services/billing/index.js";
import type { CliContext } from "../context.js";
import { printResult } from "../output.js";

const args = z.strictObject({
  json: z.boolean().optional(),
  payment: ids.objectId.optional(),
});

/** Added twice: `netflix-admin approve` and `netflix-admin payments approve`. */
export function addApproveCommand(parent: Command, ctx: CliContext): void {
  parent
    .command("approve")
    .description("approve a user's waiting payment and activate the subscription")
    .argument("<user>", "user id or email")
    .option("--payment <id>", "the payment to approve (default: the user's open payment)")
    .option("--json", "print JSON")
    .action(async (user: string, opts: unknown) => {
      const o = parseArgs(args, opts);
      const deps = await ctx.deps();
      const payment = await paymentForDecision(deps, user, o.payment, "approve");
      const r = await approvePayment(deps, String(payment._id), { actor: ctx.actor });
      const data = { outcome: r.outcome, paymentId: r.paymentId, reference: payment.reference, userId: String(payment.userId), periodEnd: r.periodEnd };
      printResult(ctx.output, Boolean(o.json), data, () =>
        r.outcome === "approved"
          ? `Approved payment ${payment.reference} (${r.paymentId}); subscription active until ${r.periodEnd.toISOString()}.`
          : `Payment ${payment.reference} (${r.paymentId}) was already approved; nothing changed.`,
      );
    });
}
