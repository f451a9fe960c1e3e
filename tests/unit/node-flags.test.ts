// The web and worker processes run with the same Node flags however they are started.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/lib/node-flags.js";

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

describe("Node flags of the long-running processes", () => {
  it("are the same in package.json's start scripts, the Dockerfile's command and compose's worker command", () => {
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    for (const flag of NODE_FLAGS) {
      expect(scripts.start).toContain(flag);
      expect(scripts.worker).toContain(flag);
      // On the command line: Node refuses some V8 flags (--heap-growing-percent) in NODE_OPTIONS.
      expect(read("Dockerfile")).toMatch(new RegExp(`^CMD \\["node", .*"${flag}", .*"dist/src/server.js"\\]$`, "m"));
      expect(read("docker-compose.yml")).toMatch(new RegExp(`command: \\["node", .*"${flag}", .*"dist/src/worker.js"\\]`));
    }
  });
});
