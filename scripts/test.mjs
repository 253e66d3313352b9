// Runs every test file under test/ with node's own test runner (through tsx for TypeScript).
// RECURRENT_BACKEND selects the kernel backend; with --all-backends the suite runs once per backend.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}
const filter = process.argv.slice(2).filter((a) => !a.startsWith("--"));
let files = collect(join(root, "test"));
if (filter.length > 0) files = files.filter((f) => filter.some((s) => f.includes(s)));
const args = ["--conditions=source", "--import", "tsx", "--test", "--test-reporter=spec", ...files];
const r = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root, env: process.env });
process.exit(r.status ?? 1);
