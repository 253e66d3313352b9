// Builds the package: the WebAssembly kernels first (the TypeScript embeds them), then dist/.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args) => execFileSync(process.execPath, [join(root, "node_modules", cmd), ...args], { stdio: "inherit", cwd: root });

if (existsSync(join(root, "scripts", "build-wasm.mjs"))) {
  execFileSync(process.execPath, [join(root, "scripts", "build-wasm.mjs")], { stdio: "inherit", cwd: root });
}
run("typescript/bin/tsc", ["-p", "tsconfig.json"]);
