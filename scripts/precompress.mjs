// Writes precompressed copies next to each HTML, JavaScript, CSS, SVG and WebAssembly
// file of a build: NAME.gz (gzip, level 9) and NAME.br (Brotli, quality 11, from
// Node's own zlib), for static hosts that serve a precompressed file when the browser
// accepts its encoding. A copy is written only when it is smaller than the file.
//
//   node scripts/precompress.mjs DIR       (scripts/post-build.sh runs it on release builds)

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".wasm", ".json", ".txt"]);

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/precompress.mjs DIR");
  process.exit(2);
}

const encoders = {
  gz: (bytes) => gzipSync(bytes, { level: 9 }),
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
};

for (const name of readdirSync(dir)) {
  if (!COMPRESSIBLE.has(extname(name))) continue;
  const bytes = readFileSync(join(dir, name));
  const sizes = [];
  for (const [suffix, encode] of Object.entries(encoders)) {
    const packed = encode(bytes);
    if (packed.length < bytes.length) {
      writeFileSync(join(dir, `${name}.${suffix}`), packed);
      sizes.push(`${suffix} ${packed.length}`);
    }
  }
  console.log(`precompress: ${name} ${bytes.length} -> ${sizes.join(", ") || "kept as is"} bytes`);
}
