// Project paths that work both from src/ (tsx) and from dist/src/ (compiled).
import { existsSync } from "node:fs";
import path from "node:path";

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(import.meta.dirname);
export const viewsDir = path.join(projectRoot, "src", "views");
export const localesDir = path.join(projectRoot, "src", "locales");
export const publicDir = path.join(projectRoot, "public");
export const nodeModulesDir = path.join(projectRoot, "node_modules");
