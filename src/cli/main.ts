#!/usr/bin/env node
// netflix-admin entry: builds the context from the environment, runs, exits with the code.
import os from "node:os";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { loadConfig } from "../config.js";
import { closeDeps, createDeps } from "../deps.js";
import type { Deps } from "../deps.js";
import { createLogger } from "../lib/logger.js";
import { flushTraces } from "../lib/tracing.js";
import type { CliContext } from "./context.js";
import { runCli } from "./index.js";
import { processOutput } from "./output.js";

function promptSecret(question: string): Promise<string> {
  // Echo the question, then mute the terminal while the password is typed.
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
    muted = true;
  });
}

/** Runs one command; the dependencies are built on first use (usage errors never connect). */
async function main(argv: string[]): Promise<number> {
  let deps: Promise<Deps> | undefined;
  const ctx: CliContext = {
    deps: () => {
      deps ??= (async () => {
        const config = loadConfig();
        return createDeps(config, { name: "cli", logger: createLogger(config.logLevel === "info" ? "warn" : config.logLevel, "cli", "stderr") });
      })();
      return deps;
    },
    output: processOutput,
    stdin: process.stdin,
    actor: `cli:${os.userInfo().username}`,
    promptSecret,
  };
  const code = await runCli(ctx, argv);
  if (deps) await deps.then(closeDeps, () => undefined);
  await flushTraces();
  return code;
}

process.exit(await main(process.argv.slice(2)));
