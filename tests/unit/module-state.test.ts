// No module-level mutable state in src/: what lives across requests is an object built in
// src/deps.ts (caches, the progress store, the TMDB client, metrics) and closed with it. A module
// may keep constants: frozen or read-only values, schemas, patterns.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(p, out);
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Constructors whose instances do not change once built. */
const IMMUTABLE = /^(RegExp|Schema|Intl\.\w+|URL|TextEncoder|TextDecoder)$/;
/** Declared read-only types: the compiler refuses writes through them. */
const READ_ONLY_TYPE = /^(Readonly(Map|Set|Array)?<|readonly )/;

/** Top-level declarations that hold mutable state: `let`/`var`, and `const` built with `new` from a mutable class. */
export function moduleStateIn(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const decl of statement.declarationList.declarations) {
      const name = decl.name.getText(source);
      const line = source.getLineAndCharacterOfPosition(decl.getStart(source)).line + 1;
      const where = `${path.relative(SRC, file)}:${line} ${name}`;
      if (!isConst) {
        found.push(`${where} (let/var)`);
        continue;
      }
      const init = decl.initializer;
      if (!init || !ts.isNewExpression(init)) continue;
      const ctor = init.expression.getText(source);
      if (IMMUTABLE.test(ctor) || (decl.type && READ_ONLY_TYPE.test(decl.type.getText(source)))) continue;
      found.push(`${where} (new ${ctor})`);
    }
  }
  return found;
}

describe("module state", () => {
  it("finds none in src/", () => {
    const found = sourceFiles(SRC).flatMap((file) => moduleStateIn(file, readFileSync(file, "utf8")));
    expect(found).toEqual([]);
  });

  it("would notice a cache, a registry or a flag at module level", () => {
    const probe = [
      "const cache = new Map<string, string>();",
      "let enabled = false;",
      "const seen: ReadonlySet<string> = new Set(['a']);",
      "const pattern = new RegExp('x');",
      "export function f() { const local = new Map(); let n = 0; return [local, n]; }",
    ].join("\n");
    expect(moduleStateIn(path.join(SRC, "probe.ts"), probe)).toEqual(["probe.ts:1 cache (new Map)", "probe.ts:2 enabled (let/var)"]);
  });
});
