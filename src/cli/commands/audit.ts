// netflix-admin audit [--actor] [--action] [--since] [--until]: the audit log, as the admin audit page filters it.
import type { Command } from "commander";
import { z } from "zod";
import { listAudit } from "../../services/ops/index.js";
import { parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An ISO date or time ("2025-01-31", "2025-01-31T12:00Z"), or an age back from now ("30m", "12h", "7d"). */
export function moment(now: Date) {
  return z
    .string()
    .trim()
    .transform((v, ctx) => {
      const age = /^(\d{1,6})([mhd])$/.exec(v);
      if (age) return new Date(now.getTime() - Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS]);
      const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? new Date(v) : new Date(NaN);
      if (Number.isNaN(at.getTime()))
        ctx.addIssue({ code: "custom", message: `"${v}" is not a date (2025-01-31, 2025-01-31T12:00Z) or an age (30m, 12h, 7d)` });
      return at;
    });
}

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  program
    .command("audit")
    .description("the audit log, newest first: who changed what, from the admin pages, the CLI or jobs")
    .option("--actor <prefix>", 'actor starts with, e.g. "cli:" or "user:<id>"')
    .option("--action <prefix>", 'action starts with, e.g. "payment." or "title.publish"')
    .option("--since <when>", "at or after: a date, a time, or an age like 7d")
    .option("--until <when>", "before: a date, a time, or an age like 1h")
    .option("--limit <n>", "how many", "50")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const now = new Date();
      const o = parseArgs(
        z.strictObject({
          json: z.boolean().optional(),
          actor: z.string().trim().max(100).optional(),
          action: z.string().trim().max(100).optional(),
          since: moment(now).optional(),
          until: moment(now).optional(),
          limit: z.coerce.number().int().min(1).max(10_000).default(50),
        }),
        opts,
      );
      const deps = await ctx.deps();
      const result = await listAudit(deps, { actor: o.actor, action: o.action, since: o.since, until: o.until, page: 1, pageSize: o.limit });
      const rows = result.items.map((a) => ({
        at: a.at,
        actor: a.actor,
        action: a.action,
        target: a.target ?? null,
        details: a.details ?? {},
        ip: a.ip ?? null,
      }));
      printResult(ctx.output, Boolean(o.json), rows, () =>
        formatTable(
          rows.map((r) => ({ ...r, details: JSON.stringify(r.details) })),
          ["at", "actor", "action", "target", "details"],
        ),
      );
    });
}
