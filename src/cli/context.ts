// What CLI commands get: lazily built dependencies, the output, stdin, and who is acting.
import type { Deps } from "../deps.js";
import type { Output } from "./output.js";

export interface CliContext {
  /** Connects on first use, so `--help` and usage errors never touch the database. */
  deps(): Promise<Deps>;
  output: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The audit actor, "cli:<os user>". */
  actor: string;
  promptSecret(question: string): Promise<string>;
}

/** Wrong usage found after commander's own checks (exit code 2). */
export class CliUsageError extends Error {}
