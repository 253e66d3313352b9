import { test } from "node:test";
import assert from "node:assert/strict";
import { Highway, randn, manualSeed } from "recurrent";
import { readFixture, fixtureNames, toTensor, assertClose, type JsonTensor } from "../helpers/fixtures.js";

interface HighwayFixture {
  options: { size: number; numLayers: number; activation: "relu" | "tanh"; transformBias: number };
  params: Record<string, JsonTensor>;
  input: JsonTensor;
  output: JsonTensor;
  lossWeights: { output: JsonTensor };
  grads: { input: JsonTensor; params: Record<string, JsonTensor> };
}

for (const name of fixtureNames("highway")) {
  test(`Highway matches the PyTorch formulation: ${name}`, () => {
    const f = readFixture<HighwayFixture>("highway", name);
    const hw = new Highway(f.options);
    assert.deepEqual(Object.keys(hw.stateDict()), Object.keys(f.params));
    hw.loadStateDict(Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, toTensor(v)])));
    const x = toTensor(f.input, true);
    const y = hw.forward(x);
    assertClose(y.data, f.output, `${name} output`);
    y.mul(toTensor(f.lossWeights.output)).sum().backward();
    assertClose(x.grad!.data, f.grads.input, `${name} d input`);
    const own = hw.stateDict();
    for (const [k, g] of Object.entries(f.grads.params)) assertClose(own[k]!.grad!.data, g, `${name} d ${k}`);
  });
}

test("Highway: the transform bias starts a deep stack near the identity, and gradients reach the input", () => {
  manualSeed(3);
  const depth = 24;
  const hw = new Highway({ size: 16, numLayers: depth, transformBias: -3 });
  assert.ok(hw.stateDict()["layers.0.bias_t"]!.data.every((v) => v === -3));
  const x = randn([8, 16], { requiresGrad: true });
  const y = hw.forward(x);
  y.sum().backward();
  const g = x.grad!.data;
  const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
  // With T ≈ σ(-3) ≈ 0.05 per layer the carry path dominates: the gradient neither vanishes nor explodes.
  assert.ok(norm > 1 && norm < 1e3, `gradient norm through ${depth} layers is ${norm}`);
  // A plain stack with the gate open (bias +3) moves far further from the input than the carry-biased one.
  manualSeed(3);
  const open = new Highway({ size: 16, numLayers: depth, transformBias: 3 });
  const dist = (a: Float32Array, b: Float32Array): number => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
  assert.ok(dist(y.data, x.data) < dist(open.forward(x).data, x.data));
});
