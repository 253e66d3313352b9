// Smoke test of `npm run bench:browser` in a real headless Chromium: W5 for ours on one thread
// and TF.js's cpu backend, in the shortest window; and the message when Chromium is missing.
// Runs in the test script's first pass only (scripts/test.mjs): the page picks its own backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_PATH as CHROMIUM } from "../../scripts/chromium.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function benchBrowser(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", join(root, "bench", "browser", "run.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
}

test("bench:browser --quick --only W5 prints numbers for ours and tfjs-cpu in Chromium", () => {
  assert.ok(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: install Debian's chromium or set CHROMIUM`);
  const r = benchBrowser(["--quick", "--only", "W5", "--threads", "1", "--peers", "tfjs-cpu", "--window", "0.5"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Browser: Chromium \d+\.[\d.]+, navigator\.hardwareConcurrency \d+/m);
  const head = r.stdout.split("\n").find((l) => l.startsWith("workload "));
  assert.deepEqual(head?.split(/\s{2,}/), ["workload", "metric", "ours", "tfjs-cpu", "ours/tfjs-cpu"], r.stdout);
  const row = r.stdout.split("\n").find((l) => l.startsWith("W5 "))?.split(/\s{2,}/);
  assert.ok(row, r.stdout);
  const [ours, tfjs, ratio] = row.slice(2).map((c) => Number.parseFloat(c));
  assert.ok(ours! > 0 && tfjs! > 0 && ratio! > 0, r.stdout);
  assert.match(r.stdout, /ours: where=dedicated worker, crossOriginIsolated=true, backend=wasm, threads=1/);
});

test("bench:browser without Chromium exits 2 naming the package to install", () => {
  const r = benchBrowser(["--quick"], { CHROMIUM: join(root, "no-such-chromium") });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Chromium not found at .*no-such-chromium: install Debian's "chromium" package/);
});
