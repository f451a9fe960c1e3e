// netflix-admin users send-reset <email>: support mails a password-reset link to an account;
// users reset-2fa <email>: turns two-step sign-in off for an account that lost its authenticator.
import type { Command } from "commander";
import { resetTwoFactor, sendResetForSupport } from "../../services/accounts/index.js";
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

  users
    .command("reset-2fa")
    .description("turn two-step sign-in off for an account (lost phone and codes); signs it out everywhere. Admins must enrol again")
    .argument("<email>", "email address")
    .option("--json", "print JSON")
    .action(async (email: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const address = parseArgs(fields.email, email);
      const deps = await ctx.deps();
      const r = await resetTwoFactor(deps, address, { actor: ctx.actor });
      printResult(ctx.output, Boolean(o.json), r, () =>
        r.wasOn ? `Two-step sign-in turned off for ${r.email}; its sessions were ended.` : `${r.email} had no two-step sign-in; its sessions were ended.`,
      );
    });
}
