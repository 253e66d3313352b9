// ONNX round trips of what importOnnx reads beyond PyTorch's own graphs: projected LSTMs (the Scan
// graphs exportOnnx writes), LSTM/GRU/RNN with other activations, gru_reset_before
// (linear_before_reset = 0) and peephole LSTMs (the LSTM operator's input P). Each exported file
// runs in onnxruntime-node against our forward; each import gives back the same weights bit for bit
// and the same outputs and states within 1e-5. Then what the importer refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { f32, runOrt } from "./ort-helpers.js";
import { manualSeed, randn, LSTM, GRU, RNN, PeepholeLSTM, RecurrentLayer, Embedding, Linear, Sequential, RNNBase, setCellLog, type ActivationName, type Module, type Tensor } from "../../../src/index.js";
import { exportOnnx } from "../../../src/io/interop/onnx/export.js";
import { importOnnx } from "../../../src/io/interop/onnx/import.js";
import { ATTR_FLOATS, ATTR_STRINGS, OnnxError, decodeOnnxModel, encodeOnnxModel, type OnnxModel, type OnnxNode } from "../../../src/io/interop/onnx/proto.js";

setCellLog(() => {});

const TOL = 1e-5;

function close(actual: ArrayLike<number> | undefined, expected: ArrayLike<number>, what: string): void {
  assert.ok(actual !== undefined, `${what} is missing`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) <= TOL, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

/** The same parameter names with bit-identical values. */
function sameWeights(got: Module, want: Module, what: string): void {
  const a = got.stateDict();
  const b = want.stateDict();
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${what}: parameter names`);
  for (const [name, t] of Object.entries(b)) assert.deepEqual(Array.from(a[name]!.data), Array.from(t.data), `${what}: ${name}`);
}

/** Exports `layer`, runs the file in onnxruntime, imports it back and checks all three agree. */
async function roundTrip(layer: RNNBase, what: string, opset = 14): Promise<RNNBase> {
  const D = layer.numDirections;
  const L = layer.numLayers;
  const [T, B] = [5, 3];
  const hasC = layer.spec.states.length === 2;
  const x = randn(layer.batchFirst ? [B, T, layer.inputSize] : [T, B, layer.inputSize]);
  const h0 = randn([L * D, B, layer.outputSize]);
  const c0 = randn([L * D, B, layer.hiddenSize]);
  const state = hasC ? { h: h0, c: c0 } : { h: h0 };
  const [y, s] = layer.forwardState(x, state);
  const bytes = exportOnnx(layer, { opset });
  const ort = await runOrt(bytes, hasC ? { input: f32(x), h0: f32(h0), c0: f32(c0) } : { input: f32(x), h0: f32(h0) });
  close(ort["output"], y.data, `${what}: onnxruntime output`);
  close(ort["hN"], s.h.data, `${what}: onnxruntime hN`);
  if (hasC) close(ort["cN"], s.c!.data, `${what}: onnxruntime cN`);
  const back = importOnnx(bytes);
  assert.ok(back instanceof RNNBase, `${what}: imports as a recurrent layer`);
  assert.equal(back.cell, layer.cell, `${what}: cell`);
  assert.deepEqual(back.getConfig(), layer.getConfig(), `${what}: config`);
  sameWeights(back, layer, what);
  const [y2, s2] = back.forwardState(x, state);
  close(y2.data, y.data, `${what}: imported output`);
  close(s2.h.data, s.h.data, `${what}: imported hN`);
  if (hasC) close(s2.c!.data, s.c!.data, `${what}: imported cN`);
  return back;
}

test("projected LSTMs (Scan graphs) import back: weights bit-identical, outputs and states within 1e-5", async () => {
  let k = 0;
  for (const numLayers of [1, 2]) {
    for (const bidirectional of [false, true]) {
      for (const [bias, batchFirst] of [[true, false], [false, true]] as const) {
        manualSeed(700 + k);
        const layer = new LSTM({ inputSize: 3, hiddenSize: 5, projSize: 2, numLayers, bidirectional, bias, batchFirst });
        await roundTrip(layer, `LSTMP L=${numLayers} bi=${bidirectional} bias=${bias} bf=${batchFirst}`, k % 2 === 0 ? 14 : 18);
        k++;
      }
    }
  }
  assert.equal(k, 8);
});

test("a Sequential [Embedding, projected LSTM, Linear] imports back as the same Sequential", async () => {
  manualSeed(71);
  const model = new Sequential([new Embedding({ numEmbeddings: 6, embeddingDim: 3 }), new LSTM({ inputSize: 3, hiddenSize: 4, projSize: 2, bidirectional: true }), new Linear({ inFeatures: 4, outFeatures: 6 })]);
  model.eval();
  const back = importOnnx(exportOnnx(model, { initialStates: false }));
  assert.ok(back instanceof Sequential);
  assert.deepEqual(back.layers().map((l) => l.describe()), model.layers().map((l) => l.describe()));
  sameWeights(back, model, "Sequential");
});

const PAIRS: [ActivationName, ActivationName][] = [
  ["hardSigmoid", "tanh"],
  ["hardSigmoidKeras3", "relu"],
  ["sigmoid", "linear"],
  ["hardSigmoid", "softsign"],
  ["sigmoid", "softplus"],
  ["sigmoid", "elu"],
];

test("LSTM, GRU and gru_reset_before with other activations import onto activation / recurrentActivation", async () => {
  let k = 0;
  for (const [gate, candidate] of PAIRS) {
    const bidirectional = k % 2 === 1;
    manualSeed(800 + k++);
    const opts = { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional, recurrentActivation: gate, activation: candidate };
    await roundTrip(new LSTM(opts), `LSTM ${gate}/${candidate}`);
    await roundTrip(new GRU(opts), `GRU ${gate}/${candidate}`);
    await roundTrip(new RecurrentLayer({ ...opts, cell: "gru_reset_before" }), `gru_reset_before ${gate}/${candidate}`);
  }
  manualSeed(850);
  const plain = await roundTrip(new RecurrentLayer({ cell: "gru_reset_before", inputSize: 2, hiddenSize: 3 }), "gru_reset_before defaults");
  assert.equal(plain.describe(), "RecurrentLayer(cell=gru_reset_before, hiddenSize=3)");
});

test("RNNs with tanh, relu and other activations import with the same nonlinearity", async () => {
  for (const activation of ["tanh", "relu", "linear", "hardSigmoid", "softsign", "elu"] as const) {
    manualSeed(900);
    const layer = new RNN({ inputSize: 3, hiddenSize: 4, bidirectional: true, activation });
    const back = await roundTrip(layer, `RNN ${activation}`);
    assert.equal(back.cell, activation === "relu" ? "rnn_relu" : "rnn_tanh");
  }
});

test("peephole LSTMs export with ONNX's P (onnxruntime agrees) and import back as PeepholeLSTM", async () => {
  let k = 0;
  for (const numLayers of [1, 2]) {
    for (const bidirectional of [false, true]) {
      manualSeed(950 + k);
      const layer = new PeepholeLSTM({ inputSize: 3, hiddenSize: 4, numLayers, bidirectional, bias: k !== 1, batchFirst: k === 3 });
      const back = await roundTrip(layer, `PeepholeLSTM L=${numLayers} bi=${bidirectional}`);
      assert.ok(back instanceof PeepholeLSTM);
      k++;
    }
  }
  // onnxruntime does apply P: with the peepholes zeroed in the file its output moves away from ours.
  manualSeed(960);
  const layer = new PeepholeLSTM({ inputSize: 3, hiddenSize: 4 });
  const x = randn([5, 2, 3]);
  const zeroed = decodeOnnxModel(exportOnnx(layer, { initialStates: false }));
  const p = zeroed.graph.initializers.find((t) => t.name === zeroed.graph.nodes.find((n) => n.opType === "LSTM")!.inputs[7])!;
  p.floats = new Float32Array(p.floats!.length);
  const got = (await runOrt(encodeOnnxModel(zeroed), { input: f32(x) }))["output"]!;
  const want = layer.forwardState(x)[0].data;
  assert.ok(got.some((v, i) => Math.abs(v - want[i]!) > 1e-3), "zeroing P changes onnxruntime's output");
});

// ------------------------------------------------------------------ refusals

function edit(layer: Module, change: (m: OnnxModel, n: OnnxNode) => void, opType = "LSTM"): Uint8Array {
  const m = decodeOnnxModel(exportOnnx(layer));
  const n = m.graph.nodes.find((x) => x.opType === opType);
  assert.ok(n !== undefined, `the export has a ${opType} node`);
  change(m, n);
  return encodeOnnxModel(m);
}

function setActivations(n: OnnxNode, names: string[], alphas: number[] = [], betas: number[] = []): void {
  n.attributes = n.attributes.filter((a) => !a.name.startsWith("activation"));
  const base = { f: 0, i: 0, s: "", t: null, floats: [], ints: [], strings: [] };
  n.attributes.push({ ...base, name: "activations", type: ATTR_STRINGS, strings: names });
  if (alphas.length > 0) n.attributes.push({ ...base, name: "activation_alpha", type: ATTR_FLOATS, floats: alphas });
  if (betas.length > 0) n.attributes.push({ ...base, name: "activation_beta", type: ATTR_FLOATS, floats: betas });
}

function refuses(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => importOnnx(bytes), (e: unknown) => e instanceof OnnxError && pattern.test(e.message), String(pattern));
}

test("activations no layer runs, or that differ per direction or between g and h, are refused naming the node and the value", () => {
  manualSeed(1);
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3 });
  const bi = new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true });
  refuses(edit(lstm, (_m, n) => setActivations(n, ["Sigmoid", "Affine", "Affine"], [2, 2], [0, 0])), /node \d+ \(LSTM.*attribute activations has Affine\(2, 0\), which no layer of the library runs/);
  refuses(edit(lstm, (_m, n) => setActivations(n, ["Sigmoid", "ScaledTanh", "ScaledTanh"], [1, 1], [1, 1])), /activations has ScaledTanh\(1, 1\)/);
  refuses(edit(lstm, (_m, n) => setActivations(n, ["Sigmoid", "Elu", "Elu"], [0.5, 0.5])), /activations has Elu\(0.5\)/);
  refuses(edit(lstm, (_m, n) => setActivations(n, ["LeakyRelu", "Tanh", "Tanh"])), /activations has LeakyRelu\(0.009999999776482582\)/);
  refuses(edit(lstm, (_m, n) => setActivations(n, ["Sigmoid", "Cosh", "Tanh"])), /names "Cosh", which is not an activation of ONNX's LSTM/);
  refuses(edit(lstm, (_m, n) => setActivations(n, ["Sigmoid", "Tanh", "Relu"])), /g = tanh and h = relu; the library's LSTM uses one candidate nonlinearity/);
  refuses(edit(lstm, (_m, n) => setActivations(n, ["Sigmoid", "Tanh"])), /activations has 2 names; LSTM with 1 direction\(s\) takes 3/);
  refuses(edit(bi, (_m, n) => setActivations(n, ["Sigmoid", "Tanh", "HardSigmoid", "Tanh"]), "GRU"), /activations differs between directions \(\[sigmoid, tanh\] and \[hardSigmoid, tanh\]\)/);
  refuses(edit(lstm, (_m, n) => setActivations(n, ["HardSigmoid", "Tanh", "Tanh"], [0.2, 1])), /activation_alpha has 2 and activation_beta 0 values, but the activations take 1 and 1/);
  // Given explicitly, HardSigmoid's parameters choose between the Keras 2 and Keras 3 hard sigmoids.
  const k3 = importOnnx(edit(lstm, (_m, n) => setActivations(n, ["HardSigmoid", "Tanh", "Tanh"], [1 / 6], [0.5])));
  assert.deepEqual((k3 as RNNBase).activations, { gate: "hardSigmoidKeras3", candidate: "tanh" });
  const k2 = importOnnx(edit(lstm, (_m, n) => setActivations(n, ["HardSigmoid", "Tanh", "Tanh"])));
  assert.deepEqual((k2 as RNNBase).activations, { gate: "hardSigmoid", candidate: "tanh" });
});

test("clip, input_forget and peepholes with other activations are refused", () => {
  manualSeed(2);
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3 });
  const base = { f: 0, i: 0, s: "", t: null, floats: [], ints: [], strings: [] };
  refuses(edit(lstm, (_m, n) => n.attributes.push({ ...base, name: "clip", type: 1, f: 3 })), /the clip attribute \(cell clipping\) has no equivalent/);
  refuses(edit(lstm, (_m, n) => n.attributes.push({ ...base, name: "input_forget", type: 2, i: 1 })), /input_forget = 1 \(coupled input and forget gates\) has no equivalent layer/);
  const peephole = new PeepholeLSTM({ inputSize: 2, hiddenSize: 3 });
  refuses(edit(peephole, (_m, n) => setActivations(n, ["HardSigmoid", "Tanh", "Tanh"])), /activations \[hardSigmoid, tanh, tanh\] with peepholes \(input P\): the peephole LSTM runs sigmoid and tanh only/);
  refuses(
    edit(peephole, (m, n) => {
      const p = m.graph.initializers.find((t) => t.name === n.inputs[7])!;
      p.dims = [1, 6];
      p.floats = p.floats!.subarray(0, 6);
    }),
    /P must be \(1, 9\), got \[1, 6\]/,
  );
});

test("Scan graphs other than the projected LSTM's body, and a reverse-only Scan, are refused", () => {
  manualSeed(3);
  const lstmp = new LSTM({ inputSize: 2, hiddenSize: 4, projSize: 2 });
  const body = (m: OnnxModel): OnnxModel["graph"] => m.graph.nodes.find((n) => n.opType === "Scan")!.attributes.find((a) => a.name === "body")!.g!;
  refuses(edit(lstmp, (m) => (body(m).nodes.find((n) => n.opType === "Tanh")!.opType = "Relu"), "Scan"), /node \d+ \(Scan.*only the Scan that exportOnnx writes .* its body differs: node \d+ is Relu where the cell has Tanh/);
  refuses(edit(lstmp, (m) => body(m).nodes.pop(), "Scan"), /only the Scan that exportOnnx writes for an LSTM with projSize imports .*; its body differs/);
  refuses(edit(lstmp, (m) => body(m).outputs.reverse(), "Scan"), /its body differs: output 0 is not the cell's h/);
  refuses(
    edit(lstmp, (_m, n) => {
      for (const a of n.attributes) if (a.name.endsWith("directions")) a.ints = [1];
    }, "Scan"),
    /a reverse Scan needs the forward Scan over the same input before it; a reverse-only layer has no equivalent/,
  );
  refuses(edit(lstmp, (_m, n) => n.attributes.find((a) => a.name === "num_scan_inputs")!.i = 2, "Scan"), /num_scan_inputs must be 1/);
});

test("an imported projected LSTM runs like the original on another input length", () => {
  manualSeed(4);
  const layer = new LSTM({ inputSize: 2, hiddenSize: 4, projSize: 3, numLayers: 2 });
  const back = importOnnx(exportOnnx(layer, { initialStates: false })) as LSTM;
  const x: Tensor = randn([11, 2, 2]);
  close(back.forwardState(x)[0].data, layer.forwardState(x)[0].data, "T = 11");
});
