// Part of Trunk's post-build hook (scripts/post-build.sh): minifies the release build's JavaScript with
// terser, and updates the Subresource Integrity hashes in index.html to match.
//
// Trunk's own minifier cannot parse the module wasm-bindgen generates (`export { ... as
// default }`): it warns and ships the file as it is, about 2 kB larger gzipped.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

const staging = process.env.TRUNK_STAGING_DIR;
const html = join(staging, "index.html");
// terser is installed with the end-to-end tests' packages (scripts/setup.sh).
const require = createRequire(new URL("../tests/e2e/package.json", import.meta.url));
const { minify } = require("terser");

const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;

let page = readFileSync(html, "utf8");
for (const name of readdirSync(staging).filter((f) => f.endsWith(".js"))) {
  const path = join(staging, name);
  const source = readFileSync(path, "utf8");
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  writeFileSync(path, code);
  page = page.replaceAll(sri(source), sri(code));
  console.log(`minify-js: ${name} ${source.length} -> ${code.length} bytes`);
}
writeFileSync(html, page);
