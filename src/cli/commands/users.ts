// netflix-admin users ...: create the first admin, grant the role, list accounts.
import type { Command } from "commander";
import { z } from "zod";
import { createAdmin, listUsers, makeAdmin, passwordProblem, suspendUser, unsuspendUser } from "../../services/accounts/index.js";
import { getUserDetail } from "../../services/billing/index.js";
import { recordAudit } from "../../services/ops/index.js";
import { ValidationError } from "../../lib/errors.js";
import { fields } from "../../lib/validation.js";
import { parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";

const createAdminArgs = z.strictObject({ email: fields.email, name: fields.displayName, passwordStdin: z.boolean().optional() });
const listArgs = z.strictObject({ json: z.boolean().optional(), limit: z.coerce.number().int().min(1).max(10_000).default(100) });

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export function registerUsersCommands(program: Command, ctx: CliContext): void {
  const users = program.command("users").description("manage accounts");

  users
    .command("create-admin")
    .description("create an admin account (asks for the password, or reads it with --password-stdin)")
    .requiredOption("--email <email>", "email address")
    .requiredOption("--name <name>", "display name")
    .option("--password-stdin", "read the password from standard input")
    .action(async (opts: unknown) => {
      const args = parseArgs(createAdminArgs, opts);
      let password: string;
      if (args.passwordStdin) password = await readStdin(ctx.stdin);
      else if (ctx.stdin.isTTY) password = await ctx.promptSecret("Password: ");
      else throw new ValidationError({ password: "validation.required" }, "cli.passwordNeeded");
      const weak = passwordProblem(password, args.email);
      if (weak) throw new ValidationError({ password: weak }, weak);
      const deps = await ctx.deps();
      const user = await createAdmin(deps, { email: args.email, displayName: args.name, password });
      await recordAudit(deps, { actor: ctx.actor, action: "user.create-admin", target: `user:${user.id}` });
      ctx.output.out(`Created admin ${user.email} (${user.id}).`);
    });

  users
    .command("make-admin")
    .description("give an existing account the admin role")
    .argument("<email>", "email address")
    .action(async (email: string) => {
      const parsedEmail = parseArgs(fields.email, email);
      const deps = await ctx.deps();
      const { user, changed } = await makeAdmin(deps, parsedEmail);
      if (!changed) return ctx.output.out(`${user.email} is already an admin.`);
      await recordAudit(deps, { actor: ctx.actor, action: "user.make-admin", target: `user:${user.id}` });
      ctx.output.out(`${user.email} is now an admin.`);
    });

  users
    .command("list")
    .description("list accounts, newest first")
    .option("--json", "print JSON")
    .option("--limit <n>", "how many", "100")
    .action(async (opts: unknown) => {
      const args = parseArgs(listArgs, opts);
      const deps = await ctx.deps();
      const rows = (await listUsers(deps, { limit: args.limit })).map((u) => ({
        id: String(u._id),
        email: u.email,
        name: u.displayName,
        role: u.role,
        status: u.status,
        plan: u.subscription?.plan ?? null,
        subscription: u.subscription?.status ?? "none",
        createdAt: u.createdAt,
      }));
      printResult(ctx.output, Boolean(args.json), rows, () => formatTable(rows, ["id", "email", "name", "role", "status", "subscription", "createdAt"]));
    });

  users
    .command("show")
    .description("one account with its subscription, sessions and payments")
    .argument("<user>", "user id or email")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: unknown) => {
      const o = parseArgs(z.strictObject({ json: z.boolean().optional() }), opts);
      const deps = await ctx.deps();
      const { user, payments, sessions } = await getUserDetail(deps, ref);
      const data = {
        id: String(user._id),
        email: user.email,
        name: user.displayName,
        role: user.role,
        status: user.status,
        locale: user.locale,
        subscription: user.subscription,
        createdAt: user.createdAt,
        sessions: sessions.length,
        payments: payments.map((p) => ({
          id: String(p._id),
          plan: p.plan,
          amount: p.amount,
          currency: p.currency,
          reference: p.reference,
          status: p.status,
          createdAt: p.createdAt,
        })),
      };
      printResult(ctx.output, Boolean(o.json), data, () => {
        const sub = user.subscription;
        const lines = [
          `${user.email} (${String(user._id)})`,
          `  name:         ${user.displayName}`,
          `  role:         ${user.role}`,
          `  status:       ${user.status}`,
          `  subscription: ${sub?.status ?? "none"}${sub?.plan ? ` · ${sub.plan}` : ""}${sub?.currentPeriodEnd ? ` until ${sub.currentPeriodEnd.toISOString()}` : ""}${sub?.cancelAtPeriodEnd ? " (canceled at period end)" : ""}`,
          `  sessions:     ${sessions.length}`,
          `  joined:       ${user.createdAt.toISOString()}`,
          "",
          "Payments:",
          formatTable(data.payments, ["id", "plan", "amount", "currency", "reference", "status", "createdAt"]),
        ];
        return lines.join("\n");
      });
    });

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
        const o = parseArgs(z.strictObject({ json: z.boolean().optional() }), opts);
        const deps = await ctx.deps();
        const r = await fn(deps, ref, ctx.actor);
        printResult(ctx.output, Boolean(o.json), { userId: String(r.user._id), email: r.user.email, changed: r.changed }, () =>
          r.changed ? `${r.user.email} is ${verb}.` : `${r.user.email} is already ${verb}; nothing changed.`,
        );
      });
  }
}
