// ONNX export of cell variants (the Keras-style options): other gate and candidate activations
// through the operators' `activations` attribute (hard sigmoids as HardSigmoid with their alpha and
// beta), a single bias (`recurrentBias: false`, exported with a zero recurrent bias) and the GRU
// with the reset gate before the recurrent product (linear_before_reset = 0), each run in
// onnxruntime-node against our forward; and what the exporters refuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { f32, runOrt } from "./ort-helpers.js";
import { manualSeed, randn, LSTM, GRU, RNN, RecurrentLayer, setCellLog, type RNNBase, type ActivationName } from "../../../src/index.js";
import { exportOnnx } from "../../../src/io/interop/onnx/export.js";
import { exportPyTorch } from "../../../src/io/interop/pytorch/export.js";
import { OnnxError } from "../../../src/io/interop/onnx/proto.js";

setCellLog(() => {});

function close(actual: ArrayLike<number> | undefined, expected: ArrayLike<number>, what: string): void {
  assert.ok(actual !== undefined, `${what} is missing`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) <= 1e-5, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

const PAIRS: [ActivationName, ActivationName][] = [
  ["hardSigmoid", "tanh"],
  ["hardSigmoidKeras3", "tanh"],
  ["sigmoid", "relu"],
  ["hardSigmoid", "linear"],
  ["sigmoid", "softsign"],
];

async function check(layer: RNNBase, name: string): Promise<void> {
  const D = layer.numDirections;
  const L = layer.numLayers;
  const [T, B, H] = [5, 3, layer.hiddenSize];
  const x = randn([T, B, layer.inputSize]);
  const h0 = randn([L * D, B, H]);
  const hasC = layer.spec.states.length === 2;
  const c0 = randn([L * D, B, H]);
  const [y, state] = layer.forwardState(x, hasC ? { h: h0, c: c0 } : { h: h0 });
  const got = await runOrt(exportOnnx(layer), hasC ? { input: f32(x), h0: f32(h0), c0: f32(c0) } : { input: f32(x), h0: f32(h0) });
  close(got["output"], y.data, `${name}: output`);
  close(got["hN"], state.h.data, `${name}: hN`);
  if (hasC) close(got["cN"], state.c!.data, `${name}: cN`);
}

test("LSTM and GRU with other activations, one bias, one and two layers and directions: onnxruntime equals ours", async () => {
  let k = 0;
  for (const [gate, candidate] of PAIRS) {
    for (const recurrentBias of [true, false]) {
      for (const bidirectional of [false, true]) {
        manualSeed(300 + k++);
        const opts = { inputSize: 3, hiddenSize: 4, numLayers: bidirectional ? 2 : 1, bidirectional, recurrentBias, recurrentActivation: gate, activation: candidate };
        await check(new LSTM(opts), `LSTM ${gate}/${candidate} recurrentBias=${recurrentBias} bi=${bidirectional}`);
        await check(new GRU(opts), `GRU ${gate}/${candidate} recurrentBias=${recurrentBias} bi=${bidirectional}`);
      }
    }
  }
});

test("an RNN with another activation than tanh or relu exports it", async () => {
  for (const activation of ["linear", "hardSigmoid", "softsign"] as const) {
    manualSeed(21);
    await check(new RNN({ inputSize: 3, hiddenSize: 4, bidirectional: true, activation }), `RNN ${activation}`);
  }
});

test("gru_reset_before (Keras reset_after = false) exports with linear_before_reset = 0", async () => {
  for (const [bidirectional, recurrentBias, gate] of [[false, false, "sigmoid"], [true, true, "hardSigmoid"]] as const) {
    manualSeed(bidirectional ? 11 : 12);
    const layer = new RecurrentLayer({ cell: "gru_reset_before", inputSize: 3, hiddenSize: 4, bidirectional, recurrentBias, recurrentActivation: gate });
    await check(layer, `gru_reset_before bi=${bidirectional} recurrentBias=${recurrentBias} ${gate}`);
  }
});

test("refusals: activations ONNX lacks, and PyTorch's fixed nonlinearities; one bias exports to PyTorch as a zero bias_hh", () => {
  const selu = new LSTM({ inputSize: 2, hiddenSize: 3, activation: "selu" });
  assert.throws(() => exportOnnx(selu), (e: unknown) => e instanceof OnnxError && /activation "selu" has no ONNX counterpart/.test(e.message));
  const hard = new GRU({ inputSize: 2, hiddenSize: 3, recurrentActivation: "hardSigmoid" });
  assert.throws(() => exportPyTorch(hard), /exportPyTorch: the model is GRU\(hiddenSize=3\) with gate=hardSigmoid, candidate=tanh; PyTorch's nn\.GRU has fixed nonlinearities/);
  const single = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, recurrentBias: false });
  const files = exportPyTorch(single);
  const header = JSON.parse(new TextDecoder().decode(files.weights.subarray(8, 8 + Number(new DataView(files.weights.buffer, files.weights.byteOffset).getBigUint64(0, true))))) as Record<string, { shape: number[] }>;
  assert.deepEqual(header["bias_hh_l1"]?.shape, [12]);
  assert.deepEqual(header["bias_ih_l1"]?.shape, [12]);
});
