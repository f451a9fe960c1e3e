// netflix-admin users suspend | unsuspend | sign-out <user>: the admin user page's access buttons.
import type { Command } from "commander";
import { signOutEverywhere, suspendUser, unsuspendUser } from "../../services/accounts/index.js";
import { jsonOnly, parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { printResult } from "../output.js";

export function registerUserAccessCommands(users: Command, ctx: CliContext): void {
  for (const [name, fn, verb] of [
    ["suspend", suspendUser, "suspended"],
    ["unsuspend", unsuspendUser, "active again"],
  ] as const) {
    users
      .command(name)
      .description(name === "suspend" ? "suspend an account and sign it out everywhere" : "reactivate a suspended account")
      .argument("<user>", "user id or email")
      .option("--json", "print JSON")
      .action(async (ref: string, opts: unknown) => {
        const o = parseArgs(jsonOnly, opts);
        const deps = await ctx.deps();
        const r = await fn(deps, ref, ctx.actor);
        printResult(ctx.output, Boolean(o.json), { userId: String(r.user._id), email: r.user.email, changed: r.changed }, () =>
          r.changed ? `${r.user.email} is ${verb}.` : `${r.user.email} is already ${verb}; nothing changed.`,
        );
      });
  }

  users
    .command("sign-out")
    .description("sign an account out of every session (same as `sessions revoke`)")
    .argument("<user>", "user id or email")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const r = await signOutEverywhere(deps, ref, ctx.actor);
      printResult(
        ctx.output,
        Boolean(o.json),
        { userId: String(r.user._id), email: r.user.email, revoked: r.revoked },
        () => `Revoked ${r.revoked} session(s) of ${r.user.email}.`,
      );
    });
}
