// A tiny static file server for the release build (dist/), on 127.0.0.1 only, with the
// headers a static host should send (README, "Publishing"): the wasm MIME type, the
// build's precompressed copies (.br, .gz) when the browser accepts them, and caching:
// files whose names carry Trunk's content hash kept for a year, the others (index.html,
// the worker's start-up script, the favicon) revalidated on every visit.
//
// As a module: `const server = await serveDir(dir); server.url; await server.close()`.
// From a shell: `node tests/e2e/lib/server.mjs [DIR] [PORT]` serves DIR (default dist).

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", // required by WebAssembly.instantiateStreaming
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/** Precompressed copies the build writes, in order of preference. */
const ENCODINGS = [
  ["br", ".br"],
  ["gzip", ".gz"],
];

/** Trunk names a file NAME-<16 hex digits of its hash>[_bg].EXT. */
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/;
const cacheControl = (file) =>
  HASHED.test(basename(file)) ? "public, max-age=31536000, immutable" : "no-cache";

/** The file a request path maps to inside `root`, or null if it would leave it. */
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return null;
  }
  if (path.endsWith("/")) path += "index.html";
  const file = resolve(join(root, path));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/**
 * Serves `dir` on 127.0.0.1 at `port` (0: any free port). Paths without a file
 * extension that match no file get index.html, as a single-page app host would.
 */
export async function serveDir(dir, port = 0) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const send = (status, type, body) => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      return send(405, "text/plain", "method not allowed\n");
    }
    let file = fileFor(root, req.url ?? "/");
    if (!file) return send(400, "text/plain", "bad path\n");
    let info = await stat(file).catch(() => null);
    if (!info?.isFile() && extname(file) === "") {
      file = join(root, "index.html");
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return send(404, "text/plain", "not found\n");
    const headers = {
      "Content-Type": MIME_TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": cacheControl(file),
      Vary: "Accept-Encoding",
    };
    const accepted = String(req.headers["accept-encoding"] ?? "");
    let body = file;
    for (const [encoding, suffix] of ENCODINGS) {
      const packed = accepted.includes(encoding) ? await stat(file + suffix).catch(() => null) : null;
      if (packed?.isFile()) {
        body = file + suffix;
        info = packed;
        headers["Content-Encoding"] = encoding;
        break;
      }
    }
    headers["Content-Length"] = info.size;
    res.writeHead(200, headers);
    if (req.method === "HEAD") return res.end();
    createReadStream(body).pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  const { port: actualPort } = server.address();
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    origin: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? "dist";
  const server = await serveDir(dir, Number(process.argv[3] ?? 8080));
  console.log(`serving ${resolve(dir)} at ${server.url}`);
}
