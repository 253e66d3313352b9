// Which cells each backend runs fused, and the wasm kernels of the peephole and layer-normalised
// LSTMs against the reference kernels on the backend contract itself (no layers in between).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import type { RecurrentBackwardArgs, RecurrentForwardArgs } from "../../src/backends/backend.js";
import { referenceBackend } from "../../src/backends/reference/index.js";
import { createWasmBackend } from "../../src/backends/wasm/index.js";
import { Generator } from "../../src/tensor/random.js";
import { cellNames, defineCell } from "recurrent";
import { assertClose } from "../helpers/fixtures.js";

const wasm = createWasmBackend();
after(() => wasm.dispose());
const rng = new Generator(77);
const random = (n: number, scale = 0.5): Float32Array => Float32Array.from({ length: n }, () => rng.uniformRange(-scale, scale));

test("both backends run every built-in cell fused, and no backend runs a user-defined cell fused", () => {
  const builtIn = ["rnn_tanh", "rnn_relu", "lstm", "gru", "peephole_lstm", "layernorm_lstm"];
  for (const name of builtIn) {
    assert.ok(cellNames().includes(name), name);
    assert.ok(referenceBackend.runsFused(name), `reference ${name}`);
    assert.ok(wasm.runsFused(name), `wasm ${name}`);
  }
  defineCell({ name: "test_identity_cell", states: ["h"], parameters: [], step: (_x, s) => s });
  assert.equal(referenceBackend.runsFused("test_identity_cell"), false);
  assert.equal(wasm.runsFused("test_identity_cell"), false);
  assert.throws(
    () => wasm.recurrentForward({ mode: "test_identity_cell", T: 1, B: 1, I: 1, H: 1, P: 1, reverse: false, x: new Float32Array(1), wIh: new Float32Array(1), wHh: new Float32Array(1), bIh: null, bHh: null, wHr: null, h0: new Float32Array(1), c0: null, training: false, out: new Float32Array(1), hN: new Float32Array(1), cN: null }),
    /wasm backend\.recurrentForward: the wasm backend has no fused kernel for cell "test_identity_cell"/,
  );
});

const CASES: { cell: "peephole_lstm" | "layernorm_lstm"; bias: boolean; reverse: boolean; T: number; B: number; I: number; H: number }[] = [
  { cell: "peephole_lstm", bias: true, reverse: false, T: 5, B: 3, I: 4, H: 7 },
  { cell: "peephole_lstm", bias: false, reverse: true, T: 3, B: 1, I: 9, H: 8 },
  { cell: "layernorm_lstm", bias: true, reverse: false, T: 4, B: 2, I: 3, H: 5 },
  { cell: "layernorm_lstm", bias: false, reverse: true, T: 2, B: 3, I: 6, H: 9 },
];

for (const c of CASES) {
  test(`wasm ${c.cell} (bias ${c.bias}, reverse ${c.reverse}, T ${c.T} B ${c.B} I ${c.I} H ${c.H}) matches the reference kernels, forward and backward`, () => {
    const { T, B, I, H } = c;
    const G = 4 * H;
    const peephole = c.cell === "peephole_lstm";
    const extraSizes = peephole ? [H, H, H] : c.bias ? [G, G, G, G, H, H] : [G, G, H];
    const extra = extraSizes.map((n, i) => (peephole || i % 2 === 1 || !c.bias ? random(n) : random(n, 0.3).map((v) => 1 + v)));
    const base = {
      mode: c.cell, T, B, I, H, P: H, reverse: c.reverse,
      x: random(T * B * I, 1), wIh: random(G * I), wHh: random(G * H),
      bIh: peephole && c.bias ? random(G) : null, bHh: peephole && c.bias ? random(G) : null, wHr: null,
      h0: random(B * H), c0: random(B * H), extra,
    };
    const run = (backend: typeof wasm | typeof referenceBackend): Float32Array[] => {
      const f: RecurrentForwardArgs = { ...base, training: true, out: new Float32Array(T * B * H), hN: new Float32Array(B * H), cN: new Float32Array(B * H) };
      const cache = backend.recurrentForward(f);
      const grads = {
        dx: new Float32Array(T * B * I), dh0: new Float32Array(B * H), dc0: new Float32Array(B * H),
        dWIh: random(G * I), dWHh: random(G * H), dBIh: base.bIh === null ? null : random(G), dBHh: base.bHh === null ? null : random(G), dWHr: null,
        dExtra: extraSizes.map((n) => new Float32Array(n).fill(0.25)),
      };
      const before = [grads.dWIh.slice(), grads.dWHh.slice()];
      const b: RecurrentBackwardArgs = { ...base, cache, out: f.out, dOut: random(T * B * H, 1), dHN: random(B * H, 1), dCN: random(B * H, 1), ...grads };
      backend.recurrentBackward(b);
      // Parameter gradients accumulate onto what was there.
      assert.notDeepEqual(grads.dWIh, before[0]);
      return [f.out, f.hN, f.cN!, grads.dx, grads.dh0, grads.dc0, grads.dWIh, grads.dWHh, ...(grads.dBIh === null ? [] : [grads.dBIh, grads.dBHh!]), ...grads.dExtra];
    };
    const saved = rng.getState();
    const want = run(referenceBackend);
    rng.setState(saved);
    const got = run(wasm);
    assert.equal(got.length, want.length);
    want.forEach((w, i) => assertClose(got[i]!, w, `${c.cell} result ${i}`, 2e-5, 1e-4));
  });
}
