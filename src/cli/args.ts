// Command-line options through zod: any problem with them is bad usage (exit code 2), in one line.
import { z } from "zod";
import { translator } from "../lib/i18n.js";
import { CliUsageError } from "./context.js";

const t = translator("en");
const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function parseArgs<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const message = /^[a-z]+\.[a-zA-Z.]+$/.test(issue.message) ? t(issue.message) : issue.message;
    return issue.path.length ? `${flag(String(issue.path[0]))}: ${message}` : message;
  });
  throw new CliUsageError(problems.join("; "));
}

/** Options of a command whose only flag is --json. */
export const jsonOnly = z.strictObject({ json: z.boolean().optional() });
