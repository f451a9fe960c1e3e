// netflix-admin users send-reset <email>: support mails a password-reset link to an account;
// users reset-2fa <email>: turns two-step sign-in off for an account that lost its authenticator.
import type { Command } from "commander";
import { resetTwoFactor, sendResetForSupport } from "../../services/accounts/index.js";
import { fields } from "../../lib/validation.js";
import { jsonOnly, parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { printResult } from "../output.js";

export function registerUserMailCommands(users: Command, ctx: CliContext): void {
  accountCommand(users, ctx, "send-reset", "mail a password-reset link (valid 1 hour) to an active account; the worker sends it", async (deps, email) => {
    const r = await sendResetForSupport(deps, email, { actor: ctx.actor });
    return { result: { userId: r.userId, email: r.email, queued: true }, text: `Reset link queued for ${r.email}.` };
  });
  accountCommand(
    users,
    ctx,
    "reset-2fa",
    "turn two-step sign-in off for an account (lost phone and codes); signs it out everywhere. Admins must enrol again",
    async (deps, email) => {
      const r = await resetTwoFactor(deps, email, { actor: ctx.actor });
      const text = r.wasOn
        ? `Two-step sign-in turned off for ${r.email}; its sessions were ended.`
        : `${r.email} had no two-step sign-in; its sessions were ended.`;
      return { result: r, text };
    },
  );
}

/** `users <name> <email> [--json]`: one support action on one account, printed as a line or JSON. */
function accountCommand(
  users: Command,
  ctx: CliContext,
  name: string,
  description: string,
  run: (deps: Awaited<ReturnType<CliContext["deps"]>>, email: string) => Promise<{ result: object; text: string }>,
): void {
  users
    .command(name)
    .description(description)
    .argument("<email>", "email address")
    .option("--json", "print JSON")
    .action(async (email: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const address = parseArgs(fields.email, email);
      const { result, text } = await run(await ctx.deps(), address);
      printResult(ctx.output, Boolean(o.json), result, () => text);
    });
}
