// The web and worker processes run with the same Node flags however they are started.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/lib/node-flags.js";

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

describe("Node flags of the long-running processes", () => {
  it("are the same in package.json's start scripts, the Dockerfile and docker compose", () => {
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    for (const flag of NODE_FLAGS) {
      expect(scripts.start).toContain(flag);
      expect(scripts.worker).toContain(flag);
      expect(read("Dockerfile")).toMatch(new RegExp(`ENV NODE_OPTIONS=".*${flag}`));
      expect(read("docker-compose.yml")).toMatch(new RegExp(`NODE_OPTIONS: .*${flag}`));
    }
  });
});
