// netflix-admin subscriptions expire [--dry-run] [--json]: the expire-subscriptions job's code, run by hand.
import type { Command } from "commander";
import { z } from "zod";
import { parseArgs } from "../args.js";
import { expireSubscriptions } from "../../services/billing/index.js";
import type { CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";

const args = z.strictObject({ json: z.boolean().optional(), dryRun: z.boolean().optional() });

export function registerSubscriptionsCommands(program: Command, ctx: CliContext): void {
  const subs = program.command("subscriptions").description("subscription lifecycle");
  subs
    .command("expire")
    .description("end every active subscription whose period is over")
    .option("--dry-run", "only list who would expire")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const o = parseArgs(args, opts);
      const deps = await ctx.deps();
      const r = await expireSubscriptions(deps, { dryRun: o.dryRun, actor: ctx.actor });
      printResult(ctx.output, Boolean(o.json), r, () => {
        const table = formatTable(r.users, ["userId", "email", "plan", "periodEnd"]);
        return r.dryRun
          ? `Would expire ${r.users.length} subscription(s):\n${table}`
          : `Expired ${r.expired} subscription(s).${r.users.length ? `\n${table}` : ""}`;
      });
    });
}
