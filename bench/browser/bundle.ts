/**
 * Builds the browser benchmark's site into a folder: index.html, page.js and worker.js bundled by
 * esbuild from the TypeScript sources ("recurrent" resolves to src/index.ts, as in the
 * playground), and TF.js's wasm binaries under tfjs/. Nothing is downloaded.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build, type Plugin } from "esbuild";
import { repoRoot } from "../runners.js";

const here = join(repoRoot, "bench", "browser");

/**
 * The runners' Node entry points (main() of bench/ours.ts and bench/peers/tfjs.ts) import Node
 * built-ins the page never calls: they resolve to an empty CommonJS module, whose named imports
 * are undefined instead of failing the build.
 */
const nodeBuiltinsEmpty: Plugin = {
  name: "node-builtins-empty",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-empty" }));
    b.onLoad({ filter: /.*/, namespace: "node-empty" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};

const INDEX_HTML = `<!doctype html>
<meta charset="utf-8">
<title>recurrent browser benchmark</title>
<script type="module" src="./page.js"></script>
`;

/** Writes the site into `outDir` (created if needed). */
export async function bundleSite(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { page: join(here, "page.ts"), worker: join(here, "worker.ts") },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["source"],
    alias: { recurrent: join(repoRoot, "src", "index.ts") },
    plugins: [nodeBuiltinsEmpty],
    logLevel: "error",
  });
  writeFileSync(join(outDir, "index.html"), INDEX_HTML);
  const wasmDist = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));
  mkdirSync(join(outDir, "tfjs"), { recursive: true });
  for (const f of readdirSync(wasmDist)) if (f.endsWith(".wasm")) copyFileSync(join(wasmDist, f), join(outDir, "tfjs", f));
}
