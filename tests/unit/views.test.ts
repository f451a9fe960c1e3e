import path from "node:path";
import { Eta } from "eta";
import { describe, expect, it } from "vitest";
import { viewsDir } from "../../src/lib/paths.js";
import { createEta } from "../../src/lib/views.js";

describe("createEta's template path resolution", () => {
  const plain = new Eta({ views: viewsDir });
  const fromBrowse = { filepath: path.join(viewsDir, "browse/index.eta") };
  const fromCard = { filepath: path.join(viewsDir, "titles/_card.eta") };

  it("gives the paths Eta gives, also when asked again and from another including file", () => {
    const eta = createEta(true);
    const cases: [string, typeof fromBrowse | undefined][] = [
      ["./browse/index", undefined],
      ["/partials/_header", fromBrowse],
      ["./_hero", fromBrowse],
      ["./_hero", fromCard],
      ["../my-list/_button", fromCard],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [name, options] of cases) expect(eta.resolvePath(name, options)).toBe(plain.resolvePath(name, options));
    }
    // The same name from two folders is two files.
    expect(eta.resolvePath("./_hero", fromBrowse)).not.toBe(eta.resolvePath("./_hero", fromCard));
  });

  it("still refuses a template outside the views folder, every time", () => {
    const eta = createEta(true);
    for (let round = 0; round < 2; round++) expect(() => eta.resolvePath("../../package.json", fromBrowse)).toThrow(/not in the views directory/);
  });
});
