// Golden fixtures for the cell variants, computed with TF.js (@tensorflow/tfjs, cpu backend):
// tf.layers.lstm, tf.layers.gru and tf.layers.simpleRNN with other activations (Keras 2's
// hardSigmoid gates, relu and linear candidates) and Keras's single bias. TF.js's GRU is the
// original one (Keras resetAfter false), which is the library's gru_reset_before cell. Writes
// test/fixtures/cell-variants/<name>.json (+ index.json):
//
//   node --conditions=source --import tsx tools/gen_cell_variant_fixtures.ts
//
// Weights come from the library's seeded Generator (some cases scaled up so that the hard
// sigmoids saturate) and are stored in the library's layout: weight_ih = kernelᵀ (G, I),
// weight_hh = recurrentKernelᵀ (G, H), bias_ih = bias, no bias_hh; the GRU's rows permuted from
// Keras's z|r|h to r|z|n (LSTM's i|f|c|o is already i|f|g|o). Each file also holds the outputs
// (sequence, final h, final c), random loss weights defining loss = Σ output·w, and the gradients
// of that loss with respect to the input and every weight (tf.variableGrads).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Generator } from "recurrent";

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, "test", "fixtures", "cell-variants");

interface JsonTensor {
  shape: number[];
  data: number[];
}

const json = (t: tf.Tensor): JsonTensor => ({ shape: t.shape, data: Array.from(t.dataSync()) });

interface Case {
  name: string;
  keras: "lstm" | "gru" | "simpleRNN";
  /** The library's cell. */
  cell: "lstm" | "gru_reset_before" | "rnn_tanh";
  activation: string;
  recurrentActivation: string | null;
  /** Weight scale relative to 1/√H: above 1 drives the hard sigmoids into their clipped ends. */
  scale: number;
}

const cases: Case[] = [
  { name: "lstm_hardsigmoid_tanh", keras: "lstm", cell: "lstm", activation: "tanh", recurrentActivation: "hardSigmoid", scale: 3 },
  { name: "lstm_sigmoid_relu", keras: "lstm", cell: "lstm", activation: "relu", recurrentActivation: "sigmoid", scale: 1 },
  { name: "gru_hardsigmoid_tanh", keras: "gru", cell: "gru_reset_before", activation: "tanh", recurrentActivation: "hardSigmoid", scale: 3 },
  { name: "gru_sigmoid_linear", keras: "gru", cell: "gru_reset_before", activation: "linear", recurrentActivation: "sigmoid", scale: 1 },
  { name: "simple_rnn_relu", keras: "simpleRNN", cell: "rnn_tanh", activation: "relu", recurrentActivation: null, scale: 1 },
  { name: "simple_rnn_hardsigmoid", keras: "simpleRNN", cell: "rnn_tanh", activation: "hardSigmoid", recurrentActivation: null, scale: 3 },
];

const [B, T, I, H] = [3, 5, 3, 4];

/** Keras's GRU gate blocks z|r|h as the library's r|z|n: block order 1, 0, 2. */
function kerasToOurs(c: Case, rowsTimesCols: number[], G: number, cols: number): number[] {
  // values is (G, cols) in our row layout after the transpose; permute row blocks for the GRU.
  if (c.keras !== "gru") return rowsTimesCols;
  const block = (G / 3) * cols;
  const v = rowsTimesCols;
  return [...v.slice(block, 2 * block), ...v.slice(0, block), ...v.slice(2 * block)];
}

function fixture(c: Case, seed: number): Record<string, unknown> {
  const g = new Generator(seed);
  const uniform = (n: number, scale: number): number[] => Array.from({ length: n }, () => g.uniformRange(-scale, scale));
  const G = (c.keras === "lstm" ? 4 : c.keras === "gru" ? 3 : 1) * H;
  const k = c.scale / Math.sqrt(H);
  const kernel = uniform(I * G, k);
  const recurrent = uniform(H * G, k);
  const bias = uniform(G, k);
  const opts = { units: H, returnSequences: true, returnState: true, activation: c.activation as "tanh" };
  const layer =
    c.keras === "lstm"
      ? tf.layers.lstm({ ...opts, recurrentActivation: c.recurrentActivation as "sigmoid" })
      : c.keras === "gru"
        ? tf.layers.gru({ ...opts, recurrentActivation: c.recurrentActivation as "sigmoid" })
        : tf.layers.simpleRNN(opts);
  const input = tf.input({ shape: [T, I] });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor[] });
  layer.setWeights([tf.tensor2d(kernel, [I, G]), tf.tensor2d(recurrent, [H, G]), tf.tensor1d(bias)]);
  const x = tf.variable(tf.tensor3d(uniform(B * T * I, 1.5), [B, T, I]), true, `${c.name}_x`);
  const results = model.apply(x) as tf.Tensor[];
  const lossWeights = results.map((r) => tf.tensor(uniform(r.size, 1), r.shape));
  const loss = (): tf.Scalar => {
    const rs = model.apply(x) as tf.Tensor[];
    return rs.map((r, i) => tf.sum(tf.mul(r, lossWeights[i]!))).reduce((p, q) => tf.add(p, q)) as tf.Scalar;
  };
  const { grads } = tf.variableGrads(loss);
  const gradOf = (needle: string): tf.Tensor => {
    const keys = Object.keys(grads).filter((n) => n.endsWith(needle));
    if (keys.length !== 1) throw new Error(`${c.name}: expected one gradient named ${needle}, found ${keys.join(", ")}`);
    return grads[keys[0]!]!;
  };
  const ours = (values: ArrayLike<number>, rows: number, cols: number): JsonTensor => {
    const t = tf.transpose(tf.tensor2d(Array.from(values), [rows, cols]));
    return { shape: [cols, rows], data: kerasToOurs(c, Array.from(t.dataSync()), G, rows) };
  };
  const biasOurs = (values: ArrayLike<number>): JsonTensor => ({ shape: [G], data: kerasToOurs(c, Array.from(values), G, 1) });
  return {
    name: c.name,
    cell: c.cell,
    activation: c.activation,
    recurrentActivation: c.recurrentActivation,
    sizes: { B, T, I, H },
    x: json(x),
    params: { weight_ih_l0: ours(kernel, I, G), weight_hh_l0: ours(recurrent, H, G), bias_ih_l0: biasOurs(bias) },
    outputs: results.map(json),
    lossWeights: lossWeights.map(json),
    grads: {
      x: json(gradOf(`${c.name}_x`)),
      params: {
        weight_ih_l0: ours(gradOf("/kernel").dataSync(), I, G),
        weight_hh_l0: ours(gradOf("/recurrent_kernel").dataSync(), H, G),
        bias_ih_l0: biasOurs(gradOf("/bias").dataSync()),
      },
    },
  };
}

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith(".json")) rmSync(join(outDir, f));
  cases.forEach((c, i) => writeFileSync(join(outDir, `${c.name}.json`), JSON.stringify(fixture(c, 100 + i)) + "\n"));
  writeFileSync(join(outDir, "index.json"), JSON.stringify(cases.map((c) => c.name)) + "\n");
  console.log(`wrote ${cases.length} fixtures to ${outDir}`);
}

await main();
