// Build step: writes file.br (brotli, highest quality) and file.gz (gzip -9) next to every CSS,
// JS, SVG and source map the app serves statically, so those are never compressed per request.
// Run by `npm run build`; the static router sends a twin when the browser accepts it.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { staticDirs } from "../src/lib/static-assets.js";

const COMPRESSIBLE = /\.(css|js|mjs|svg|map|json|txt)$/;
// Below this a compressed copy saves less than its headers cost.
const MIN_BYTES = 1024;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (COMPRESSIBLE.test(entry.name) && statSync(full).size >= MIN_BYTES) yield full;
  }
}

let count = 0;
let before = 0;
let after = 0;
for (const { dir } of staticDirs) {
  for (const file of files(dir)) {
    const body = readFileSync(file);
    const br = zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    writeFileSync(`${file}.br`, br);
    writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
    count++;
    before += body.length;
    after += br.length;
  }
}
console.log(`precompressed ${count} static files: ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB (brotli)`);
