// Serves a folder over HTTP on 127.0.0.1 with the two cross-origin isolation headers that wasm
// threads need (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy:
// require-corp). Used by the playground's end-to-end test, and to try a built playground:
//   node scripts/serve-isolated.mjs apps/playground/dist [port]
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const ISOLATION_HEADERS = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

/**
 * Starts serving `dir`; `isolated: false` leaves the two headers out (the page then runs on one
 * thread). Resolves to { url, close } once listening; port 0 picks a free one.
 */
export function serveIsolated(dir, { port = 0, isolated = true } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      let file = resolve(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error("outside the root"), { status: 403 });
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-cache", ...(isolated ? ISOLATION_HEADERS : {}) });
      res.end(body);
    } catch (err) {
      res.writeHead(err?.status ?? 404, { "Content-Type": "text/plain" });
      res.end(err?.status === 403 ? "forbidden" : "not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : port}/`;
      ok({ url, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? "apps/playground/dist";
  const port = Number(process.argv[3] ?? 4174);
  const { url } = await serveIsolated(dir, { port });
  console.log(`serving ${dir} at ${url} (cross-origin isolated)`);
}
