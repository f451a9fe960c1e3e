// createProgram(ctx): the netflix-admin command tree. Parsing and printing only; commands call services.
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config.js";
import { AppError, ValidationError } from "../lib/errors.js";
import { translator } from "../lib/i18n.js";
import { renameActiveSpan, withSpan } from "../lib/tracing.js";
import { registerUsersCommands } from "./commands/users.js";
import { registerCatalogCommands } from "./commands/catalog.js";
import { addApproveCommand } from "./commands/approve.js";
import { registerAuditCommands } from "./commands/audit.js";
import { registerJobsCommands } from "./commands/jobs.js";
import { registerMediaCommands } from "./commands/media.js";
import { registerPaymentsCommands } from "./commands/payments.js";
import { addRejectCommand } from "./commands/reject.js";
import { registerSessionsCommands } from "./commands/sessions.js";
import { registerSubscriptionsCommands } from "./commands/subscriptions.js";
import { CliUsageError, type CliContext } from "./context.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function createProgram(ctx: CliContext): Command {
  const program = new Command("netflix-admin")
    .description("Operate the streaming service: accounts, payments, catalog, media, jobs, sessions, audit log.")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => ctx.output.out(s), writeErr: (s) => ctx.output.err(s) })
    .exitOverride();
  registerUsersCommands(program, ctx);
  registerCatalogCommands(program, ctx);
  addApproveCommand(program, ctx);
  addRejectCommand(program, ctx);
  registerPaymentsCommands(program, ctx);
  registerSubscriptionsCommands(program, ctx);
  registerSessionsCommands(program, ctx);
  registerJobsCommands(program, ctx);
  registerMediaCommands(program, ctx);
  registerAuditCommands(program, ctx);
  // Every subcommand throws instead of exiting, so run() decides the exit code.
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => ctx.output.out(s), writeErr: (s) => ctx.output.err(s) });
    cmd.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

const t = translator("en");

/** One line for an operator; never a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof ValidationError) {
    const problems = Object.entries(err.fields).map(([field, key]) => `${field}: ${t(key)}`);
    return err.messageKey === "errors.validation" ? problems.join("; ") : t(err.messageKey);
  }
  if (err instanceof AppError) return t(err.messageKey);
  if (err instanceof ConfigError)
    return err.message
      .split("\n")
      .slice(0, -1)
      .join(" ")
      .replace(/\s+-\s+/g, " ");
  if (err instanceof Error) return err.message.split("\n")[0]!;
  return String(err);
}

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage. */
export async function runCli(ctx: CliContext, argv: string[]): Promise<number> {
  const program = createProgram(ctx);
  // One trace per command (with tracing on): named after the command that runs, e.g.
  // "cli jobs run", with the services' spans and their database and Redis calls inside.
  program.hook("preAction", (_program, action) => {
    const names: string[] = [];
    for (let cmd: Command | null = action; cmd && cmd !== program; cmd = cmd.parent) names.unshift(cmd.name());
    renameActiveSpan(`cli ${names.join(" ")}`);
  });
  try {
    await withSpan("cli", { root: true }, () => program.parseAsync(argv, { from: "user" }));
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    // Arguments that fail validation are bad usage too: the operator has to change the command.
    if (err instanceof CliUsageError || (err instanceof AppError && (err.status === 400 || err.status === 422))) {
      ctx.output.err(`error: ${describeError(err)}`);
      return EXIT_USAGE;
    }
    ctx.output.err(`error: ${describeError(err)}`);
    return EXIT_FAILURE;
  }
}
