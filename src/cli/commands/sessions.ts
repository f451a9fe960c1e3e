// netflix-admin sessions revoke <userId|email>: signs a user out on every device.
import type { Command } from "commander";
import { z } from "zod";
import { parseArgs } from "../args.js";
import { signOutEverywhere } from "../../services/accounts/index.js";
import type { CliContext } from "../context.js";
import { printResult } from "../output.js";

export function registerSessionsCommands(program: Command, ctx: CliContext): void {
  const sessions = program.command("sessions").description("signed-in sessions");
  sessions
    .command("revoke")
    .description("sign a user out of every session")
    .argument("<user>", "user id or email")
    .option("--json", "print JSON")
    .action(async (user: string, opts: unknown) => {
      const o = parseArgs(z.strictObject({ json: z.boolean().optional() }), opts);
      const deps = await ctx.deps();
      const r = await signOutEverywhere(deps, user, ctx.actor);
      printResult(
        ctx.output,
        Boolean(o.json),
        { userId: String(r.user._id), email: r.user.email, revoked: r.revoked },
        () => `Revoked ${r.revoked} session(s) of ${r.user.email}.`,
      );
    });
}
