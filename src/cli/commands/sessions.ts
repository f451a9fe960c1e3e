// netflix-admin sessions list | revoke <userId|email>: a user's signed-in sessions, and signing them all out.
import type { Command } from "commander";
import { listUserSessions, resolveUser, signOutEverywhere } from "../../services/accounts/index.js";
import { jsonOnly, parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";

const when = (ms: number | undefined) => (ms ? new Date(ms) : null);

export function registerSessionsCommands(program: Command, ctx: CliContext): void {
  const sessions = program.command("sessions").description("signed-in sessions");

  sessions
    .command("list")
    .description("a user's live sessions, most recently used first")
    .argument("<user>", "user id or email")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const user = await resolveUser(deps, ref);
      // The session id is a bearer secret: print only a short prefix to tell sessions apart.
      const rows = (await listUserSessions(deps.redis, String(user._id))).map((s) => ({
        session: s.id.slice(0, 8),
        createdAt: when(s.createdAt),
        lastSeenAt: when(s.lastSeenAt),
        ip: s.ip ?? null,
        userAgent: s.userAgent ?? null,
      }));
      printResult(ctx.output, Boolean(o.json), rows, () => formatTable(rows, ["session", "createdAt", "lastSeenAt", "ip", "userAgent"]));
    });

  sessions
    .command("revoke")
    .description("sign a user out of every session")
    .argument("<user>", "user id or email")
    .option("--json", "print JSON")
    .action(async (user: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
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
