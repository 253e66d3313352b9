// Runs every test file under test/ with node's own test runner (through tsx for TypeScript),
// once per kernel backend: the whole suite must pass on the reference backend (the spec) and on
// the WebAssembly SIMD backend. RECURRENT_BACKEND=name runs only that backend.
// Arguments that are not flags filter test files by substring.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function collect(dir, suffix) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

// Rebuild the wasm kernels when a kernel source is newer than the generated module.
const generated = join(root, "src", "backends", "wasm", "generated", "kernels.ts");
const newestKernel = Math.max(...collect(join(root, "wasm", "kernels"), ".ts").map((p) => statSync(p).mtimeMs));
if (!existsSync(generated) || statSync(generated).mtimeMs < newestKernel) {
  const b = spawnSync(process.execPath, [join(root, "scripts", "build-wasm.mjs")], { stdio: "inherit", cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const filter = process.argv.slice(2).filter((a) => !a.startsWith("--"));
let files = collect(join(root, "test"), ".test.ts").map((p) => relative(root, p));
if (filter.length > 0) files = files.filter((f) => filter.some((s) => f.includes(s)));
const backends = process.env.RECURRENT_BACKEND ? [process.env.RECURRENT_BACKEND] : ["reference", "wasm"];

const scratch = mkdtempSync(join(tmpdir(), "recurrent-test-"));
let passed = 0;
let failed = 0;
let status = 0;
// Tests that run no kernel (packing and installing the package, the loaders' fuzzers) run in the
// first pass only: a second backend would repeat the same work.
const BACKEND_FREE = ["test/package/", "test/fuzz/", "test/playground/", "test/bench/browser.test.ts"];
for (const [pass, backend] of backends.entries()) {
  console.log(`\n# ---- test suite on the ${backend} backend ----`);
  const passFiles = pass === 0 ? files : files.filter((f) => !BACKEND_FREE.some((d) => f.startsWith(d)));
  if (passFiles.length === 0) continue;
  const tap = join(scratch, `${backend}.tap`);
  const args = [
    "--conditions=source",
    "--import",
    "tsx",
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tap}`,
    ...passFiles,
  ];
  // The runner runs test files concurrently, one process each: a wasm backend on every core in
  // each of them would oversubscribe the machine, so the suite pins one thread per process unless
  // RECURRENT_WASM_THREADS is set (the thread tests choose their own counts).
  const threads = process.env.RECURRENT_WASM_THREADS || "1";
  const env = { ...process.env, RECURRENT_BACKEND: backend, RECURRENT_WASM_THREADS: threads };
  const r = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root, env });
  if (r.status !== 0) status = r.status ?? 1;
  const summary = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const count = (key) => Number((summary.match(new RegExp(`^# ${key} (\\d+)$`, "m")) ?? [])[1] ?? 0);
  passed += count("pass");
  failed += count("fail");
}
rmSync(scratch, { recursive: true, force: true });
console.log(`\n# backends: ${backends.join(", ")}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
