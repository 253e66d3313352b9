// Builds the package: the WebAssembly kernels first (the TypeScript embeds them), then dist/.
//
// `npm pack` runs both `prepare` and `prepack`, and both build: the second call finds dist/
// newer than every source and returns at once. `--force` rebuilds anyway. A rebuild starts from
// an empty dist/, so a removed source file never ships as a stale .js.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const stamp = join(root, "build", "dist-stamp");
const run = (cmd, args) => execFileSync(process.execPath, [join(root, "node_modules", cmd), ...args], { stdio: "inherit", cwd: root });

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const inputs = Math.max(
  newest(join(root, "src")),
  newest(join(root, "wasm")),
  statSync(join(root, "tsconfig.json")).mtimeMs,
  statSync(join(root, "package.json")).mtimeMs,
);
if (!process.argv.includes("--force") && existsSync(stamp) && existsSync(join(dist, "index.js")) && statSync(stamp).mtimeMs >= inputs) {
  console.log("build: dist/ is up to date");
} else {
  // The kernels are rebuilt only when a kernel source is newer than the generated module (the
  // rule scripts/test.mjs uses): tests running beside a build may be importing that module.
  const generated = join(root, "src", "backends", "wasm", "generated", "kernels.ts");
  const kernelsChanged = !existsSync(generated) || statSync(generated).mtimeMs < newest(join(root, "wasm"));
  if (kernelsChanged && existsSync(join(root, "scripts", "build-wasm.mjs"))) {
    execFileSync(process.execPath, [join(root, "scripts", "build-wasm.mjs")], { stdio: "inherit", cwd: root });
  }
  rmSync(dist, { recursive: true, force: true });
  run("typescript/bin/tsc", ["-p", "tsconfig.json"]);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
