// The Keras-style layers against TF.js layers (tools/gen_keras_layer_fixtures.ts) and, for GRU
// with resetAfter=true and for Keras 3's hard sigmoid, against PyTorch (tools/gen_keras_torch_fixtures.py): outputs,
// states, the second call of a stateful layer, and gradients with respect to the input and every
// Keras weight, each cell × activation pair × goBackwards × returnState × returnSequences ×
// masks × Bidirectional merge mode.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { layers, Embedding, Masking, Tensor, getBackend, KerasRecurrent, KerasBidirectional, pytorchWeightToKeras, convertGateBias, type KerasCell, type KerasRecurrentOptions } from "recurrent";
import { readFixture, fixtureNames, toTensor, assertClose, deviation, type JsonTensor } from "../../helpers/fixtures.js";

interface LayerFixture {
  name: string;
  cell: "simpleRNN" | "lstm" | "gru";
  options: KerasRecurrentOptions;
  merge: "concat" | "sum" | "mul" | "ave" | null;
  input: "float" | "masking" | "embedding";
  sizes: { B: number; T: number; I: number; H: number };
  embedding: JsonTensor | null;
  x: JsonTensor;
  weights: JsonTensor[][];
  outputs: JsonTensor[];
  lossWeights: JsonTensor[];
  grads: { weights?: JsonTensor[][]; x?: JsonTensor; embedding?: JsonTensor };
  second: { x: JsonTensor; outputs: JsonTensor[] } | null;
}

const folder = "keras-layers";
const names = [...fixtureNames(folder), ...readFixture<string[]>(folder, "torch_index")];

function makeLayer(f: LayerFixture): KerasRecurrent {
  const opts = { ...f.options, inputDim: f.sizes.I };
  return f.cell === "lstm" ? layers.lstm(opts) : f.cell === "gru" ? layers.gru(opts) : layers.simpleRNN(opts);
}

/** The gradients of a layer's inner parameters in Keras's layout, in getWeights() order. */
function kerasGrads(layer: KerasRecurrent): Float32Array[] {
  const core = layer.rnn!;
  const p = core.stateDict();
  const cell = core.cell as KerasCell;
  const G = p["weight_ih_l0"]!.shape[0]!;
  const grad = (name: string): Float32Array => p[name]!.grad?.data ?? new Float32Array(p[name]!.size);
  const out = [pytorchWeightToKeras(cell, grad("weight_ih_l0"), G, core.inputSize), pytorchWeightToKeras(cell, grad("weight_hh_l0"), G, core.hiddenSize)];
  if (p["bias_ih_l0"] !== undefined) {
    const b = convertGateBias(cell, "pytorch", "keras", grad("bias_ih_l0"));
    if (p["bias_hh_l0"] === undefined) out.push(b);
    else {
      const both = new Float32Array(2 * G);
      both.set(b);
      both.set(convertGateBias(cell, "pytorch", "keras", grad("bias_hh_l0")), G);
      out.push(both);
    }
  }
  return out;
}

for (const name of names) {
  test(`Keras layer matches its reference: ${name}`, () => {
    const f = readFixture<LayerFixture>(folder, name);
    const fw = makeLayer(f);
    const bw = f.merge !== null ? makeLayer(f) : null;
    const model = bw !== null ? layers.bidirectional(fw, { mergeMode: f.merge, backwardLayer: bw }) : fw;
    fw.setWeights(f.weights[0]!.map((w) => toTensor(w)));
    bw?.setWeights(f.weights[1]!.map((w) => toTensor(w)));
    const emb = f.input === "embedding" ? new Embedding({ numEmbeddings: f.embedding!.shape[0]!, embeddingDim: f.sizes.I, maskZero: true }) : null;
    if (emb !== null) emb.loadStateDict({ weight: toTensor(f.embedding!) });
    const x = f.input === "float" ? toTensor(f.x, true) : toTensor(f.x);
    const run = (xi: Tensor): Tensor[] => {
      const front = emb !== null ? emb.forward(xi) : f.input === "masking" ? new Masking({ maskValue: 0 }).forward(xi) : xi;
      const out = model instanceof KerasBidirectional ? model.forward(front) : model.forward(front);
      return out instanceof Tensor ? [out] : [...out];
    };
    const outputs = run(x);
    assert.equal(outputs.length, f.outputs.length, "number of outputs");
    outputs.forEach((o, i) => assertClose(o.data, f.outputs[i]!, `${name} output ${i}`));
    if (f.second !== null) {
      const again = run(toTensor(f.second.x));
      again.forEach((o, i) => assertClose(o.data, f.second!.outputs[i]!, `${name} second call output ${i}`));
      return;
    }
    let loss = outputs[0]!.mul(toTensor(f.lossWeights[0]!)).sum();
    for (let i = 1; i < outputs.length; i++) loss = loss.add(outputs[i]!.mul(toTensor(f.lossWeights[i]!)).sum());
    loss.backward();
    const dirs = bw !== null ? [fw, bw] : [fw];
    dirs.forEach((layer, d) => {
      const got = kerasGrads(layer);
      const want = f.grads.weights![d]!;
      assert.equal(got.length, want.length, "number of weights");
      got.forEach((g, k) => assertClose(g, want[k]!, `${name} direction ${d} d weight ${k}`));
    });
    if (f.grads.x !== undefined) assertClose(x.grad!.data, f.grads.x, `${name} d x`);
    if (emb !== null) assertClose(emb.weight.grad!.data, f.grads.embedding!, `${name} d embedding`);
  });
}

after(() => {
  console.log(`# Keras layers vs TF.js / PyTorch (${getBackend().name} backend): ${names.length} fixtures, largest deviation ${deviation.max.toExponential(2)} at ${deviation.where}`);
});
