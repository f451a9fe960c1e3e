// netflix-admin users send-reset <email>: support mails a password-reset link to an account.
import type { Command } from "commander";
import { sendResetForSupport } from "../../services/accounts/index.js";
import { fields } from "../../lib/validation.js";
import { jsonOnly, parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { printResult } from "../output.js";

export function registerUserMailCommands(users: Command, ctx: CliContext): void {
  users
    .command("send-reset")
    .description("mail a password-reset link (valid 1 hour) to an active account; the worker sends it")
    .argument("<email>", "email address")
    .option("--json", "print JSON")
    .action(async (email: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const address = parseArgs(fields.email, email);
      const deps = await ctx.deps();
      const r = await sendResetForSupport(deps, address, { actor: ctx.actor });
      printResult(ctx.output, Boolean(o.json), { userId: r.userId, email: r.email, queued: true }, () => `Reset link queued for ${r.email}.`);
    });
}
