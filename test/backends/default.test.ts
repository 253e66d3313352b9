import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { setBackend, getBackend, wasmSimdSupported } from "recurrent";

const root = fileURLToPath(new URL("../..", import.meta.url));

function backendNameIn(env: Record<string, string | undefined>, expr = "getBackend().name"): { out: string; err: string; status: number | null } {
  const code = `import { getBackend } from "recurrent"; try { const b = getBackend(); console.log(${expr}); b.dispose?.(); } catch (e) { console.log("error: " + e.message); }`;
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", code], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { out: r.stdout.trim(), err: r.stderr, status: r.status };
}

test("the default backend is wasm where the engine has wasm SIMD; RECURRENT_BACKEND overrides it", () => {
  assert.equal(wasmSimdSupported(), true, "Node 20 has WebAssembly SIMD");
  assert.equal(backendNameIn({ RECURRENT_BACKEND: undefined }).out, "wasm");
  assert.equal(backendNameIn({ RECURRENT_BACKEND: "reference" }).out, "reference");
  assert.equal(backendNameIn({ RECURRENT_BACKEND: "cuda" }).out, 'error: RECURRENT_BACKEND: unknown backend "cuda"; available: reference, wasm');
});

test("the wasm backend runs on every core (at most 8) by default; RECURRENT_WASM_THREADS sets its threads", () => {
  const threadsOf = (v: string | undefined): string => backendNameIn({ RECURRENT_BACKEND: undefined, RECURRENT_WASM_THREADS: v }, "b.name + ' ' + b.threads").out;
  assert.equal(threadsOf(undefined), `wasm ${Math.min(8, availableParallelism())}`);
  assert.equal(threadsOf("1"), "wasm 1");
  assert.equal(threadsOf("2"), "wasm 2");
  assert.equal(threadsOf("two"), 'error: RECURRENT_WASM_THREADS: expected a positive integer, got "two"');
});

test("setBackend switches by name and rejects unknown names", () => {
  const before = getBackend();
  try {
    assert.equal(setBackend("reference").name, "reference");
    assert.equal(getBackend().name, "reference");
    assert.equal(setBackend("wasm").name, "wasm");
    assert.throws(() => setBackend("gpu"), /setBackend: unknown backend "gpu"; available: reference, wasm/);
  } finally {
    setBackend(before);
  }
});
