// The peephole and layer-normalised LSTMs against their PyTorch implementations in
// tools/gen_cell_fixtures.py: outputs, final states and every gradient within 1e-5 (abs + rel),
// on whichever backend the suite runs (fused on both); plus finite-difference gradient checks.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LayerNormLSTM,
  LayerNormLSTMCell,
  PeepholeLSTM,
  PeepholeLSTMCell,
  Tensor,
  concat,
  getBackend,
  gradCheck,
  manualSeed,
  randn,
  reshape,
  type HCState,
} from "recurrent";
import { assertClose, fixtureNames, readFixture, toTensor, type JsonTensor } from "../../helpers/fixtures.js";

interface CellFixture {
  name: string;
  module: "PeepholeLSTM" | "LayerNormLSTM" | "PeepholeLSTMCell" | "LayerNormLSTMCell";
  cell: string;
  options: { inputSize: number; hiddenSize: number; bias: boolean; numLayers?: number; batchFirst?: boolean; bidirectional?: boolean };
  params: Record<string, JsonTensor>;
  input: JsonTensor;
  h0: JsonTensor | null;
  c0: JsonTensor | null;
  output: JsonTensor;
  hN: JsonTensor;
  cN: JsonTensor;
  lossWeights: { output: JsonTensor; hN: JsonTensor; cN: JsonTensor };
  grads: { input: JsonTensor; h0: JsonTensor | null; c0: JsonTensor | null; params: Record<string, JsonTensor> };
}

type Built = { module: PeepholeLSTM | LayerNormLSTM | PeepholeLSTMCell | LayerNormLSTMCell; run: (x: Tensor, s: [Tensor, Tensor] | null) => [Tensor, HCState] };

function build(f: CellFixture): Built {
  const o = f.options;
  const cellOpts = { inputSize: o.inputSize, hiddenSize: o.hiddenSize, bias: o.bias };
  switch (f.module) {
    case "PeepholeLSTM":
    case "LayerNormLSTM": {
      const m = f.module === "PeepholeLSTM" ? new PeepholeLSTM(o) : new LayerNormLSTM(o);
      return { module: m, run: (x, s) => m.forward(x, s) };
    }
    case "PeepholeLSTMCell":
    case "LayerNormLSTMCell": {
      const m = f.module === "PeepholeLSTMCell" ? new PeepholeLSTMCell(cellOpts) : new LayerNormLSTMCell(cellOpts);
      return { module: m, run: (x, s) => { const r = m.forward(x, s); return [r.h, r]; } };
    }
  }
}

/** Largest |a - e| / (1 + |e|) per cell on this backend. */
const worst = new Map<string, number>();

function track(cell: string, actual: ArrayLike<number>, expected: JsonTensor): void {
  let m = worst.get(cell) ?? 0;
  for (let i = 0; i < expected.data.length; i++) m = Math.max(m, Math.abs(actual[i]! - (expected.data[i] ?? NaN)) / (1 + Math.abs(expected.data[i] ?? NaN)));
  worst.set(cell, m);
}

const names = fixtureNames("cells");

test("the cell fixtures cover both cells, as layers and as cells", () => {
  assert.equal(names.length, 16);
  for (const prefix of ["peephole_lstm_L", "layernorm_lstm_L", "peephole_lstm_cell", "layernorm_lstm_cell"]) assert.ok(names.some((n) => n.startsWith(prefix)), prefix);
});

for (const name of names) {
  test(`parity with PyTorch: ${name}`, () => {
    const f = readFixture<CellFixture>("cells", name);
    const { module, run } = build(f);
    assert.deepEqual([...module.namedParameters()].map(([n]) => n), Object.keys(f.params), "parameter names and order");
    module.loadStateDict(Object.fromEntries(Object.entries(f.params).map(([n, t]) => [n, toTensor(t)])));
    const x = toTensor(f.input, true);
    const h0 = f.h0 === null ? null : toTensor(f.h0, true);
    const c0 = f.c0 === null ? null : toTensor(f.c0, true);
    const [out, state] = run(x, h0 !== null && c0 !== null ? [h0, c0] : null);
    const check = (what: string, a: ArrayLike<number>, e: JsonTensor): void => {
      track(f.cell, a, e);
      assertClose(a, e, `${name} ${what}`);
    };
    check("output", out.data, f.output);
    check("hN", state.h.data, f.hN);
    check("cN", state.c.data, f.cN);
    const loss = out.mul(toTensor(f.lossWeights.output)).sum().add(state.h.mul(toTensor(f.lossWeights.hN)).sum()).add(state.c.mul(toTensor(f.lossWeights.cN)).sum());
    loss.backward();
    check("d input", x.grad!.data, f.grads.input);
    if (h0 !== null && f.grads.h0 !== null) check("d h0", h0.grad!.data, f.grads.h0);
    if (c0 !== null && f.grads.c0 !== null) check("d c0", c0.grad!.data, f.grads.c0);
    for (const [n, p] of module.namedParameters()) check(`d ${n}`, p.grad!.data, f.grads.params[n]!);
  });
}

for (const [label, make] of [
  ["PeepholeLSTM", () => new PeepholeLSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true })],
  ["LayerNormLSTM", () => new LayerNormLSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true })],
] as const) {
  test(`${label}: gradients match finite differences (input, initial states, every parameter)`, () => {
    manualSeed(11);
    const layer = make();
    // Move layer-norm gains and biases off their identity init so their gradients are exercised.
    for (const p of layer.parameters()) p.data.set(p.data.map((v) => v + 0.2 * Math.sin(7 * v + p.size)));
    const x = randn([3, 2, 2], { requiresGrad: true });
    const h0 = randn([4, 2, 3], { requiresGrad: true });
    const c0 = randn([4, 2, 3], { requiresGrad: true });
    const f = (xi: Tensor, hi: Tensor, ci: Tensor): Tensor => {
      const [out, s] = layer.forward(xi, [hi, ci]);
      return concat([reshape(out, [-1]), reshape(s.h, [-1]), reshape(s.c, [-1])], 0);
    };
    const r = gradCheck((xi, hi, ci) => f(xi!, hi!, ci!), [x, h0, c0, ...layer.parameters()], { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
    assert.ok(r.ok, r.failures.join("\n"));
  });
}

after(() => {
  const parts = [...worst].map(([cell, m]) => `${cell} ${m.toExponential(2)}`);
  console.log(`# cell parity on ${getBackend().name}: largest |diff|/(1+|expected|): ${parts.join(", ")}`);
});
