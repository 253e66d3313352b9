// TF.js Layers models written by TF.js itself, for the TF.js interop tests: each model is built
// with @tensorflow/tfjs (cpu backend), given seeded random weights, saved with its own save
// handler (model.json + one weight shard, exactly what tf.io's file and browser handlers write),
// and run on fixed inputs. Writes test/fixtures/interop/tfjs/<name>/{model.json,
// group1-shard1of1.bin, expected.json} where expected.json's `calls` hold each predict call's
// input and TF.js's output (two calls in a row for the stateful model). The cases cover TF.js's
// defaults (hard_sigmoid gates, reset-before GRU), return_sequences=false, go_backwards, Masking
// and Embedding mask_zero (inputs padded with zeros past each row's length), Bidirectional
// concat/sum/ave/mul, stateful layers, Dense activations and TimeDistributed(Dense). A model the
// library cannot represent (Conv1D) is saved too, without outputs, so the tests check that it is
// read and then refused with the reason.
//
// TF.js has no GRU with reset_after=True (Keras 2+'s default), so that case,
// "gru-reset-after-keras", is written as Keras writes it (class GRU, reset_after: true, bias
// (2, 3H) = [input bias; recurrent bias], gates z|r|h) and its output is computed here with TF.js
// ops following Keras's GRUCell (keras/src/layers/rnn/gru.py, reset_after branch):
//   x_z|x_r|x_h = x·kernel + b_in;  r_z|r_r|r_h = h·recurrent_kernel + b_rec
//   z = σ(x_z + r_z), r = σ(x_r + r_r), hh = tanh(x_h + r ⊙ r_h), h = z ⊙ h_prev + (1 - z) ⊙ hh
//
//   node --conditions=source --import tsx tools/gen_tfjs_interop_fixtures.ts
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Generator } from "recurrent";

const outDir = join(new URL("..", import.meta.url).pathname, "test", "fixtures", "interop", "tfjs");

interface Case {
  name: string;
  /** Token ids (int input) or features; `lengths` pads each row past its length with zeros (Masking's and mask_zero's padding). */
  input: { ids: boolean; shape: [number, number] | [number, number, number]; lengths?: number[] };
  build: () => tf.Sequential;
  /** predict calls in a row (2 for stateful models: the second continues the first's state). Default 1. */
  calls?: number;
  /** Why the library refuses it, when it does (a regular expression's source). */
  refused?: string;
}

const rnn = (layer: tf.layers.Layer): tf.RNN => {
  if (!(layer instanceof tf.RNN)) throw new Error("expected a recurrent layer");
  return layer;
};

const CASES: Case[] = [
  {
    name: "embedding-lstm-dense",
    input: { ids: true, shape: [2, 5] },
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 7, outputDim: 3, inputShape: [null] }),
          tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: "sigmoid" }),
          tf.layers.dense({ units: 6 }),
        ],
      }),
  },
  {
    name: "simple-rnn-time-distributed",
    input: { ids: false, shape: [3, 4, 2] },
    build: () =>
      tf.sequential({
        layers: [tf.layers.simpleRNN({ units: 3, returnSequences: true, inputShape: [null, 2] }), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, activation: "tanh" }) })],
      }),
  },
  {
    name: "bidirectional-stack-dropout",
    input: { ids: false, shape: [2, 6, 3] },
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.bidirectional({ layer: rnn(tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: "sigmoid" })), inputShape: [null, 3] }),
          tf.layers.lstm({ units: 2, returnSequences: true, recurrentActivation: "sigmoid", useBias: false }),
          tf.layers.dropout({ rate: 0.25 }),
          tf.layers.simpleRNN({ units: 2, returnSequences: true, activation: "relu" }),
          tf.layers.dense({ units: 3, useBias: false }),
        ],
      }),
  },
  {
    // TF.js's only GRU (reset_after=False) with its default gate, hard_sigmoid.
    name: "gru-reset-before",
    input: { ids: false, shape: [2, 3, 2] },
    build: () => tf.sequential({ layers: [tf.layers.gru({ units: 2, returnSequences: true, inputShape: [null, 2] })] }),
  },
  {
    name: "lstm-hard-sigmoid",
    input: { ids: false, shape: [2, 3, 2] },
    build: () => tf.sequential({ layers: [tf.layers.lstm({ units: 2, returnSequences: true, inputShape: [null, 2] })] }),
  },
  {
    // The last step only; dropout settings are read and act in training only.
    name: "lstm-last-step",
    input: { ids: false, shape: [2, 3, 2] },
    build: () => tf.sequential({ layers: [tf.layers.lstm({ units: 2, recurrentActivation: "sigmoid", dropout: 0.2, recurrentDropout: 0.1, inputShape: [null, 2] }), tf.layers.dense({ units: 1, activation: "sigmoid" })] }),
  },
  {
    // The mask passes through a sequence-returning layer to the next one.
    name: "masking",
    input: { ids: false, shape: [3, 5, 2], lengths: [5, 3, 1] },
    build: () =>
      tf.sequential({
        layers: [tf.layers.masking({ maskValue: 0, inputShape: [null, 2] }), tf.layers.simpleRNN({ units: 2, returnSequences: true }), tf.layers.lstm({ units: 3, recurrentActivation: "sigmoid" })],
      }),
  },
  {
    name: "embedding-mask-zero-bidirectional-sum",
    input: { ids: true, shape: [3, 6], lengths: [6, 4, 2] },
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputShape: [null] }),
          tf.layers.bidirectional({ layer: rnn(tf.layers.gru({ units: 3, returnSequences: true })), mergeMode: "sum" }),
          tf.layers.lstm({ units: 2 }),
          tf.layers.dense({ units: 1, activation: "sigmoid" }),
        ],
      }),
  },
  {
    name: "bidirectional-ave-last-step",
    input: { ids: false, shape: [2, 4, 3] },
    build: () => tf.sequential({ layers: [tf.layers.bidirectional({ layer: rnn(tf.layers.lstm({ units: 3 })), mergeMode: "ave", inputShape: [null, 3] })] }),
  },
  {
    name: "bidirectional-mul",
    input: { ids: false, shape: [2, 4, 3] },
    build: () =>
      tf.sequential({
        layers: [tf.layers.bidirectional({ layer: rnn(tf.layers.simpleRNN({ units: 2, returnSequences: true })), mergeMode: "mul", inputShape: [null, 3] }), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) })],
      }),
  },
  {
    name: "go-backwards",
    input: { ids: false, shape: [2, 5, 2] },
    build: () =>
      tf.sequential({
        layers: [tf.layers.lstm({ units: 3, returnSequences: true, goBackwards: true, inputShape: [null, 2] }), tf.layers.gru({ units: 2, goBackwards: true, recurrentActivation: "sigmoid" })],
      }),
  },
  {
    name: "masking-go-backwards",
    input: { ids: false, shape: [3, 4, 2], lengths: [4, 2, 3] },
    build: () => tf.sequential({ layers: [tf.layers.masking({ inputShape: [null, 2] }), tf.layers.gru({ units: 3, goBackwards: true, returnSequences: true })] }),
  },
  {
    // Two predict calls: the second starts from the state the first left.
    name: "stateful",
    input: { ids: false, shape: [2, 3, 2] },
    calls: 2,
    build: () => tf.sequential({ layers: [tf.layers.lstm({ units: 3, stateful: true, returnSequences: true, batchInputShape: [2, 3, 2] }), tf.layers.simpleRNN({ units: 2, stateful: true })] }),
  },
  {
    name: "conv1d",
    input: { ids: false, shape: [2, 4, 2] },
    build: () => tf.sequential({ layers: [tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [null, 2] })] }),
    refused: "not one of SimpleRNN, LSTM, GRU",
  },
];

/** Keras's reset_after GRU over (B, T, I) from zero state, every step's h: (B, T, H). */
function kerasGruResetAfter(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor2D, H: number): tf.Tensor {
  const [B, T] = [x.shape[0], x.shape[1]];
  let h: tf.Tensor2D = tf.zeros([B, H]);
  const steps: tf.Tensor2D[] = [];
  const [bIn, bRec] = tf.split(bias, 2, 0);
  for (let t = 0; t < T; t++) {
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [B, 1, x.shape[2]]), [B, x.shape[2]]);
    const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, kernel), bIn!), 3, 1);
    const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h, recurrent), bRec!), 3, 1);
    const z = tf.sigmoid(tf.add(xz!, rz!));
    const r = tf.sigmoid(tf.add(xr!, rr!));
    const hh = tf.tanh(tf.add(xh!, tf.mul(r, rh!)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
    steps.push(h);
  }
  return tf.stack(steps, 1);
}

/** The reset_after GRU case, written by hand in Keras's layout (see the header). */
function writeKerasGru(): void {
  const [B, T, I, H] = [2, 5, 3, 4];
  const g = new Generator(200);
  const draw = (n: number): Float32Array => Float32Array.from({ length: n }, () => 0.5 * g.normal());
  const kernel = draw(I * 3 * H);
  const recurrent = draw(H * 3 * H);
  const bias = draw(2 * 3 * H);
  const input = Array.from({ length: B * T * I }, () => g.normal());
  const y = kerasGruResetAfter(tf.tensor3d(input, [B, T, I]), tf.tensor2d(kernel, [I, 3 * H]), tf.tensor2d(recurrent, [H, 3 * H]), tf.tensor2d(bias, [2, 3 * H]), H);
  const config = { name: "gru", trainable: true, batch_input_shape: [null, null, I], units: H, activation: "tanh", recurrent_activation: "sigmoid", use_bias: true, reset_after: true, return_sequences: true, return_state: false, go_backwards: false, stateful: false, unroll: false, dropout: 0, recurrent_dropout: 0 };
  const weights = [
    { name: "gru/kernel", shape: [I, 3 * H], dtype: "float32" },
    { name: "gru/recurrent_kernel", shape: [H, 3 * H], dtype: "float32" },
    { name: "gru/bias", shape: [2, 3 * H], dtype: "float32" },
  ];
  const json = { format: "layers-model", generatedBy: "keras", convertedBy: null, modelTopology: { class_name: "Sequential", config: { name: "sequential", layers: [{ class_name: "GRU", config }] } }, weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights }] };
  const dir = join(outDir, "gru-reset-after-keras");
  mkdirSync(dir, { recursive: true });
  const shard = new Float32Array([...kernel, ...recurrent, ...bias]);
  writeFileSync(join(dir, "group1-shard1of1.bin"), new Uint8Array(shard.buffer));
  writeFileSync(join(dir, "model.json"), `${JSON.stringify(json)}\n`);
  const expected = { generator: "tools/gen_tfjs_interop_fixtures.ts", tfjs: tf.version.tfjs, calls: [{ input: { ids: false, shape: [B, T, I], data: input }, output: { shape: y.shape, data: Array.from(y.dataSync()) } }], refused: null };
  writeFileSync(join(dir, "expected.json"), `${JSON.stringify(expected)}\n`);
  console.log(`wrote ${dir}`);
}

/** Seeded ids in [1, 7) or normal features; steps past a row's length (when given) are zeros, the padding masks read. */
function randomInput(c: Case, g: Generator): number[] {
  const [B, T] = c.input.shape;
  const F = c.input.shape[2] ?? 1;
  const values = Array.from({ length: B * T * F }, () => (c.input.ids ? 1 + Math.floor(g.uniform() * 6) : g.normal()));
  const lengths = c.input.lengths;
  if (lengths !== undefined) for (let b = 0; b < B; b++) values.fill(0, (b * T + lengths[b]!) * F, (b + 1) * T * F);
  return values;
}

await tf.setBackend("cpu");
rmSync(outDir, { recursive: true, force: true });
writeKerasGru();
for (const [k, c] of CASES.entries()) {
  const model = c.build();
  const g = new Generator(100 + k);
  model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => 0.5 * g.normal()), w.shape)));
  const calls = Array.from({ length: c.calls ?? 1 }, () => {
    const values = randomInput(c, g);
    const input = tf.tensor(values, c.input.shape, c.input.ids ? "int32" : "float32");
    const output = c.refused === undefined ? model.predict(input) : null;
    if (Array.isArray(output)) throw new Error(`${c.name}: one output expected`);
    return { input: { ids: c.input.ids, shape: c.input.shape, data: values }, output: output === null ? null : { shape: output.shape, data: Array.from(output.dataSync()) } };
  });
  const dir = join(outDir, c.name);
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      if (!(data instanceof ArrayBuffer)) throw new Error(`${c.name}: one weight buffer expected`);
      writeFileSync(join(dir, "group1-shard1of1.bin"), new Uint8Array(data));
      const json = { modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy, weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights: artifacts.weightSpecs }] };
      writeFileSync(join(dir, "model.json"), `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const expected = {
    generator: "tools/gen_tfjs_interop_fixtures.ts",
    tfjs: tf.version.tfjs,
    calls,
    refused: c.refused ?? null,
  };
  writeFileSync(join(dir, "expected.json"), `${JSON.stringify(expected)}\n`);
  console.log(`wrote ${dir}`);
}
