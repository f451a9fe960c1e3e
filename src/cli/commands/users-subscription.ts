// netflix-admin users extend <user> --days n | set-plan <user> <plan>: the admin user page's subscription forms.
import type { Command } from "commander";
import { z } from "zod";
import { resolveUser } from "../../services/accounts/index.js";
import { extendSubscription, planIds, setPlanNow } from "../../services/billing/index.js";
import { jsonOnly, parseArgs } from "../args.js";
import { CliUsageError, type CliContext } from "../context.js";
import { printResult } from "../output.js";

const extendArgs = z.strictObject({
  json: z.boolean().optional(),
  days: z.coerce.number({ error: "days must be a whole number from 1 to 366" }).int().min(1).max(366, "days must be a whole number from 1 to 366"),
});

export function registerUserSubscriptionCommands(users: Command, ctx: CliContext): void {
  users
    .command("extend")
    .description("add days to an account's subscription (starts one if none is running)")
    .argument("<user>", "user id or email")
    .requiredOption("--days <n>", "how many days, 1 to 366")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: unknown) => {
      const o = parseArgs(extendArgs, opts);
      const deps = await ctx.deps();
      const user = await resolveUser(deps, ref);
      const periodEnd = await extendSubscription(deps, String(user._id), o.days, ctx.actor);
      printResult(
        ctx.output,
        Boolean(o.json),
        { userId: String(user._id), email: user.email, days: o.days, periodEnd },
        () => `${user.email}: subscription active until ${periodEnd.toISOString()}.`,
      );
    });

  users
    .command("set-plan")
    .description("switch an account's plan now, without a payment")
    .argument("<user>", "user id or email")
    .argument("<plan>", "plan id")
    .option("--json", "print JSON")
    .action(async (ref: string, planId: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const ids = planIds(deps.config);
      if (!ids.includes(planId)) throw new CliUsageError(`unknown plan "${planId}"; one of: ${ids.join(", ")}`);
      const user = await resolveUser(deps, ref);
      const plan = await setPlanNow(deps, String(user._id), planId, ctx.actor);
      printResult(ctx.output, Boolean(o.json), { userId: String(user._id), email: user.email, plan: plan.id }, () => `${user.email} is now on ${plan.id}.`);
    });
}
