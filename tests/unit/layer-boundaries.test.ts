// The lint rules that keep src/ layered really fire: a probe file breaking each rule is linted
// with the project's own ESLint config, and every break is reported.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const probes: string[] = [];
afterAll(() => {
  for (const p of probes) rmSync(p, { recursive: true, force: true });
});

/** Lints `code` as if it were the file `relPath` under src/ (written to a temp folder there). */
async function lintAs(relPath: string, code: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(ROOT, path.dirname(relPath), "probe-"));
  probes.push(dir);
  const file = path.join(dir, path.basename(relPath));
  writeFileSync(file, code);
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintFiles([file]);
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe("layer boundaries", { timeout: 120_000 }, () => {
  it("refuses lib/ importing a service", async () => {
    const rules = await lintAs("src/lib/x.ts", `import { GENRES } from "../../services/catalog/index.js";\nexport const n = GENRES.length;\n`);
    expect(rules).toContain("import-x/no-restricted-paths");
  });

  it("refuses a route importing a model or a domain's inner file", async () => {
    const rules = await lintAs(
      "src/routes/x.ts",
      `import { AVATARS } from "../../models/profile.js";\nimport { GENRES } from "../../services/catalog/genres.js";\nexport const n = AVATARS.length + GENRES.length;\n`,
    );
    expect(rules.filter((r) => r === "import-x/no-restricted-paths")).toHaveLength(2);
  });

  it("refuses one domain reaching into another domain's files", async () => {
    const rules = await lintAs("src/services/watching/x.ts", `import { GENRES } from "../../catalog/genres.js";\nexport const n = GENRES.length;\n`);
    expect(rules).toContain("import-x/no-restricted-paths");
  });

  it("accepts a domain using another through its index", async () => {
    const rules = await lintAs("src/services/watching/x.ts", `import { GENRES } from "../../catalog/index.js";\nexport const n = GENRES.length;\n`);
    expect(rules).toEqual([]);
  });

  it("refuses an import cycle", async () => {
    const dir = mkdtempSync(path.join(ROOT, "src/lib", "probe-"));
    probes.push(dir);
    writeFileSync(path.join(dir, "a.ts"), `import { b } from "./b.js";\nexport const a = () => b();\n`);
    writeFileSync(path.join(dir, "b.ts"), `import { a } from "./a.js";\nexport const b = (): unknown => a;\n`);
    const [result] = await new ESLint({ cwd: ROOT }).lintFiles([path.join(dir, "a.ts")]);
    expect(result!.messages.map((m) => m.ruleId)).toContain("import-x/no-cycle");
  });

  it("refuses a promise left floating", async () => {
    const rules = await lintAs("src/lib/x.ts", `async function work(): Promise<void> {}\nexport function run(): void {\n  work();\n}\n`);
    expect(rules).toContain("@typescript-eslint/no-floating-promises");
  });
});
