// Keras masking semantics against TF.js (fixtures from tools/gen_keras_mask_fixtures.ts): LSTM and
// SimpleRNN behind Masking or Embedding({ maskZero }), and Bidirectional, with masks of any
// pattern; outputs, final states and the weights' gradients.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { LSTM, RNN, Bidirectional, Masking, Embedding, Tensor, getBackend, type RNNBase } from "recurrent";
import { readFixture, fixtureNames, toTensor, assertClose, deviation, type JsonTensor } from "../helpers/fixtures.js";

interface KerasFixture {
  name: string;
  cell: "lstm" | "simple_rnn";
  bidirectional: boolean;
  input: "masking" | "embedding";
  sizes: { B: number; T: number; I: number; H: number };
  embedding: JsonTensor | null;
  x: JsonTensor;
  params: Record<string, JsonTensor>;
  outputs: JsonTensor[];
  lossWeights: JsonTensor[];
  grads: { params: Record<string, JsonTensor>; embedding: JsonTensor | null };
}

const folder = "masks/keras";
const names = fixtureNames(folder);

function makeLayer(f: KerasFixture): RNNBase {
  const opts = { inputSize: f.sizes.I, hiddenSize: f.sizes.H, batchFirst: true };
  return f.cell === "lstm" ? new LSTM(opts) : new RNN(opts);
}

for (const name of names) {
  test(`Keras masks match TF.js: ${name}`, () => {
    const f = readFixture<KerasFixture>(folder, name);
    const layer = makeLayer(f);
    const bi = f.bidirectional ? new Bidirectional(layer, { mergeMode: "concat", backwardLayer: makeLayer(f) }) : null;
    const load = (m: RNNBase, sfx: string): void => {
      m.loadStateDict(Object.fromEntries(["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map((p) => [`${p}_l0`, toTensor(f.params[`${p}_l0${sfx}`]!)])));
    };
    load(layer, "");
    if (bi !== null) load(bi.backwardLayer, "_reverse");
    const emb = f.input === "embedding" ? new Embedding({ numEmbeddings: f.embedding!.shape[0]!, embeddingDim: f.sizes.I, maskZero: true }) : null;
    if (emb !== null) emb.loadStateDict({ weight: toTensor(f.embedding!) });
    const x = emb !== null ? emb.forward(toTensor(f.x)) : new Masking({ maskValue: 0 }).forward(toTensor(f.x));
    let outputs: Tensor[];
    if (bi !== null) {
      const [out, [fs, bs]] = bi.forward(x);
      outputs = [out, fs.h, ...(fs.c !== undefined ? [fs.c] : []), bs.h, ...(bs.c !== undefined ? [bs.c] : [])];
    } else {
      const [out, s] = layer.forwardState(x);
      outputs = [out, s.h, ...(s.c !== undefined ? [s.c] : [])];
    }
    assert.equal(outputs.length, f.outputs.length, "number of outputs");
    outputs.forEach((o, i) => assertClose(o.data, f.outputs[i]!, `${name} output ${i}`));
    let loss = outputs[0]!.mul(toTensor(f.lossWeights[0]!)).sum();
    for (let i = 1; i < outputs.length; i++) loss = loss.add(outputs[i]!.mul(toTensor(f.lossWeights[i]!)).sum());
    loss.backward();
    const dirs: [RNNBase, string][] = bi !== null ? [[layer, ""], [bi.backwardLayer, "_reverse"]] : [[layer, ""]];
    for (const [m, sfx] of dirs) {
      const own = m.stateDict();
      for (const p of ["weight_ih", "weight_hh", "bias_ih"]) assertClose(own[`${p}_l0`]!.grad!.data, f.grads.params[`${p}_l0${sfx}`]!, `${name} d ${p}_l0${sfx}`);
      // Keras has one bias; ours are two with the same gradient.
      assertClose(own["bias_hh_l0"]!.grad!.data, f.grads.params[`bias_ih_l0${sfx}`]!, `${name} d bias_hh_l0${sfx}`);
    }
    if (emb !== null) assertClose(emb.weight.grad!.data, f.grads.embedding!, `${name} d embedding`);
  });
}

after(() => {
  console.log(`# Keras masks vs TF.js (${getBackend().name} backend): ${names.length} fixtures, largest deviation ${deviation.max.toExponential(2)} at ${deviation.where}`);
});
