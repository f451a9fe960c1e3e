// netflix-admin users ...: create the first admin, grant the role, list / search / show accounts.
import type { Command } from "commander";
import { z } from "zod";
import { createAdmin, makeAdmin, searchUsers, SUBSCRIPTION_STATUSES, USER_STATUSES } from "../../services/accounts/index.js";
import { getUserDetail } from "../../services/billing/index.js";
import { ValidationError } from "../../lib/errors.js";
import { fields } from "../../lib/validation.js";
import { jsonOnly, parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";
import { registerUserAccessCommands } from "./users-access.js";
import { registerUserMailCommands } from "./users-mail.js";
import { registerUserSubscriptionCommands } from "./users-subscription.js";

const createAdminArgs = z.strictObject({ email: fields.email, name: fields.displayName, passwordStdin: z.boolean().optional(), json: z.boolean().optional() });
const listArgs = z.strictObject({
  json: z.boolean().optional(),
  search: z.string().trim().max(100).optional(),
  status: z.enum(USER_STATUSES, { error: `status must be one of: ${USER_STATUSES.join(", ")}` }).optional(),
  subscription: z.enum(SUBSCRIPTION_STATUSES, { error: `subscription must be one of: ${SUBSCRIPTION_STATUSES.join(", ")}` }).optional(),
  plan: z.string().max(40).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});
const LIST_COLUMNS = ["id", "email", "name", "role", "status", "subscription", "createdAt"];

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

type ListedUser = Awaited<ReturnType<typeof searchUsers>>["items"][number];
const userRow = (u: ListedUser) => ({
  id: String(u._id),
  email: u.email,
  name: u.displayName,
  role: u.role,
  status: u.status,
  plan: u.subscription?.plan ?? null,
  subscription: u.subscription?.status ?? "none",
  currentPeriodEnd: u.subscription?.currentPeriodEnd ?? null,
  createdAt: u.createdAt,
});

export function registerUsersCommands(program: Command, ctx: CliContext): void {
  const users = program.command("users").description("manage accounts");

  users
    .command("create-admin")
    .description("create an admin account (asks for the password, or reads it with --password-stdin)")
    .requiredOption("--email <email>", "email address")
    .requiredOption("--name <name>", "display name")
    .option("--password-stdin", "read the password from standard input")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const args = parseArgs(createAdminArgs, opts);
      let password: string;
      if (args.passwordStdin) password = await readStdin(ctx.stdin);
      else if (ctx.stdin.isTTY) password = await ctx.promptSecret("Password: ");
      else throw new ValidationError({ password: "validation.required" }, "cli.passwordNeeded");
      const deps = await ctx.deps();
      const user = await createAdmin(deps, { email: args.email, displayName: args.name, password }, { actor: ctx.actor });
      printResult(ctx.output, Boolean(args.json), { id: user.id, email: user.email, role: user.role }, () => `Created admin ${user.email} (${user.id}).`);
    });

  users
    .command("make-admin")
    .description("give an existing account the admin role")
    .argument("<email>", "email address")
    .option("--json", "print JSON")
    .action(async (email: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const parsedEmail = parseArgs(fields.email, email);
      const deps = await ctx.deps();
      const { user, changed } = await makeAdmin(deps, parsedEmail, { actor: ctx.actor });
      printResult(ctx.output, Boolean(o.json), { id: user.id, email: user.email, changed }, () =>
        changed ? `${user.email} is now an admin.` : `${user.email} is already an admin.`,
      );
    });

  const list = async (search: string | undefined, opts: unknown) => {
    const args = parseArgs(listArgs, { ...(opts as object), ...(search === undefined ? {} : { search }) });
    const deps = await ctx.deps();
    const result = await searchUsers(deps, {
      q: args.search || undefined,
      status: args.status,
      subscription: args.subscription,
      plan: args.plan,
      page: args.page,
      pageSize: args.limit,
    });
    const rows = result.items.map(userRow);
    printResult(ctx.output, Boolean(args.json), rows, () => formatTable(rows, LIST_COLUMNS));
  };
  const listOptions = (cmd: Command) =>
    cmd
      .option("--status <status>", USER_STATUSES.join(" | "))
      .option("--subscription <status>", SUBSCRIPTION_STATUSES.join(" | "))
      .option("--plan <plan>", "only this plan")
      .option("--page <n>", "which page of --limit rows", "1")
      .option("--limit <n>", "how many", "100")
      .option("--json", "print JSON");

  listOptions(users.command("list").description("list accounts, newest first (the admin page's filters)"))
    .option("--search <text>", "email or name starts with")
    .action((opts: unknown) => list(undefined, opts));

  listOptions(users.command("search").description("accounts whose email or name starts with <text>").argument("<text>", "email or name prefix")).action(
    (text: string, opts: unknown) => list(text, opts),
  );

  users
    .command("show")
    .description("one account with its subscription, sessions and payments")
    .argument("<user>", "user id or email")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const { user, payments, sessions } = await getUserDetail(deps, ref);
      const data = {
        id: String(user._id),
        email: user.email,
        name: user.displayName,
        role: user.role,
        status: user.status,
        locale: user.locale,
        twoFactorEnabledAt: user.twoFactorEnabledAt,
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
          `  2fa:          ${user.twoFactorEnabledAt ? `on since ${user.twoFactorEnabledAt.toISOString()}` : "off"}`,
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

  registerUserAccessCommands(users, ctx);
  registerUserMailCommands(users, ctx);
  registerUserSubscriptionCommands(users, ctx);
}
