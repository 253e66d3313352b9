// Golden fixtures for Keras masking semantics, computed with TF.js (@tensorflow/tfjs, cpu backend).
// Writes test/fixtures/masks/keras/<name>.json (+ index.json):
//
//   node --conditions=source --import tsx tools/gen_keras_mask_fixtures.ts
//
// Each case runs tf.layers.lstm or tf.layers.simpleRNN (returnSequences and returnState, sigmoid
// recurrent activation), or a bidirectional LSTM, on inputs masked by tf.layers.masking (any
// pattern of masked steps, not only padding at the end) or by an embedding with maskZero. Weights
// are drawn from a seeded generator and set explicitly; the file stores them in PyTorch's layout
// (weight_ih = kernelᵀ (G, I), weight_hh = recurrentKernelᵀ (G, H), bias_ih = bias, bias_hh = 0;
// Keras's LSTM gate order i|f|c|o is PyTorch's i|f|g|o). It also stores the outputs, final
// states, random loss weights defining loss = Σ output·w_out + Σ h·w_h (+ Σ c·w_c), and the
// gradients of that loss with respect to every weight (tf.variableGrads; TF.js has no gradient
// through the mask's `any`, so none with respect to a masked input).
// GRU is not here: TF.js's GRU has no reset_after, so PyTorch's GRU cannot be compared with it.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, "test", "fixtures", "masks", "keras");

interface JsonTensor {
  shape: number[];
  data: number[];
}

const json = (t: tf.Tensor): JsonTensor => ({ shape: t.shape, data: Array.from(t.dataSync()) });

/** A small deterministic generator (mulberry32), seeded per case from its name. */
function generator(name: string): () => number {
  let a = 0;
  for (const ch of name) a = (Math.imul(a, 31) + ch.charCodeAt(0)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  name: string;
  cell: "lstm" | "simple_rnn";
  bidirectional: boolean;
  /** "masking": float input, steps whose features are all 0 are masked; "embedding": ids, 0 masked. */
  input: "masking" | "embedding";
  I: number;
  H: number;
  /** (B, T) keep pattern. */
  keep: number[][];
  vocab?: number;
}

const cases: Case[] = [
  { name: "lstm_masking_holes", cell: "lstm", bidirectional: false, input: "masking", I: 3, H: 4, keep: [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 1, 0, 1], [0, 0, 1, 1, 1]] },
  { name: "simple_rnn_masking_holes", cell: "simple_rnn", bidirectional: false, input: "masking", I: 3, H: 5, keep: [[1, 0, 0, 1, 1, 1], [1, 1, 1, 1, 0, 0], [0, 1, 1, 0, 1, 0]] },
  { name: "lstm_embedding_maskzero", cell: "lstm", bidirectional: false, input: "embedding", I: 3, H: 4, vocab: 7, keep: [[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 1]] },
  { name: "bilstm_masking_holes", cell: "lstm", bidirectional: true, input: "masking", I: 3, H: 3, keep: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 1, 0, 1, 1]] },
  { name: "bisimple_rnn_masking_suffix", cell: "simple_rnn", bidirectional: true, input: "masking", I: 2, H: 3, keep: [[1, 1, 1, 0], [1, 1, 1, 1], [1, 0, 0, 0]] },
];

function fixture(c: Case): Record<string, unknown> {
  const rand = generator(c.name);
  const uniform = (n: number, scale: number): number[] => Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const B = c.keep.length;
  const T = c.keep[0]!.length;
  const { I, H } = c;
  const gates = c.cell === "lstm" ? 4 : 1;
  const G = gates * H;
  const k = 1 / Math.sqrt(H);
  // Per direction: kernel (I, G), recurrentKernel (H, G), bias (G).
  const dirs = c.bidirectional ? 2 : 1;
  const weights = Array.from({ length: dirs }, () => ({ kernel: uniform(I * G, k), recurrent: uniform(H * G, k), bias: uniform(G, k) }));
  let ids: number[] | null = null;
  let xValues: number[];
  let embedding: number[] | null = null;
  if (c.input === "embedding") {
    const V = c.vocab!;
    ids = c.keep.flatMap((row) => row.map((keep) => (keep === 1 ? 1 + Math.floor(rand() * (V - 1)) : 0)));
    embedding = uniform(V * I, 1);
    xValues = ids;
  } else {
    xValues = c.keep.flatMap((row) => row.flatMap((keep) => (keep === 1 ? uniform(I, 1) : new Array<number>(I).fill(0))));
  }
  const makeCell = (goBackwards: boolean): tf.layers.RNN => {
    const opts = { units: H, returnSequences: true, returnState: true, goBackwards };
    return c.cell === "lstm" ? tf.layers.lstm({ ...opts, recurrentActivation: "sigmoid" }) : tf.layers.simpleRNN(opts);
  };
  const input = c.input === "embedding" ? tf.input({ shape: [T], dtype: "int32" }) : tf.input({ shape: [T, I] });
  const embed = c.input === "embedding" ? tf.layers.embedding({ inputDim: c.vocab!, outputDim: I, maskZero: true }) : null;
  const masked = embed !== null ? (embed.apply(input) as tf.SymbolicTensor) : (tf.layers.masking({ maskValue: 0 }).apply(input) as tf.SymbolicTensor);
  const forwardLayer = makeCell(false);
  let outputs: tf.SymbolicTensor[];
  let bi: tf.layers.Layer | null = null;
  if (c.bidirectional) {
    bi = tf.layers.bidirectional({ layer: forwardLayer, mergeMode: "concat" });
    outputs = bi.apply(masked) as tf.SymbolicTensor[];
  } else {
    outputs = forwardLayer.apply(masked) as tf.SymbolicTensor[];
  }
  const model = tf.model({ inputs: input, outputs });
  if (embed !== null) embed.setWeights([tf.tensor2d(embedding!, [c.vocab!, I])]);
  const toKeras = (w: (typeof weights)[number]): tf.Tensor[] => [tf.tensor2d(w.kernel, [I, G]), tf.tensor2d(w.recurrent, [H, G]), tf.tensor1d(w.bias)];
  if (bi !== null) bi.setWeights([...toKeras(weights[0]!), ...toKeras(weights[1]!)]);
  else forwardLayer.setWeights(toKeras(weights[0]!));
  const x = c.input === "embedding" ? tf.tensor2d(xValues, [B, T], "int32") : tf.tensor3d(xValues, [B, T, I]);
  const results = model.apply(x) as tf.Tensor[];
  const lossWeights = results.map((r) => tf.tensor(uniform(r.size, 1), r.shape));
  const loss = (): tf.Scalar => {
    const rs = model.apply(x, { training: false }) as tf.Tensor[];
    return rs.map((r, i) => tf.sum(tf.mul(r, lossWeights[i]!))).reduce((p, q) => tf.add(p, q)) as tf.Scalar;
  };
  const { grads } = tf.variableGrads(loss);
  // Keras names per direction: kernel, recurrent_kernel, bias; ours: weight_ih_l0[_reverse], …
  const params: Record<string, JsonTensor> = {};
  const paramGrads: Record<string, JsonTensor> = {};
  const transpose = (values: number[], rows: number, cols: number): JsonTensor => {
    const t = tf.transpose(tf.tensor2d(values, [rows, cols]));
    return json(t);
  };
  const gradOf = (needle: string, d: number): tf.Tensor => {
    const keys = Object.keys(grads).filter((n) => n.endsWith(`/${needle}`) && (!c.bidirectional || n.includes(d === 0 ? "forward" : "backward")));
    if (keys.length !== 1) throw new Error(`${c.name}: expected one gradient named ${needle} for direction ${d}, found ${keys.join(", ")} among ${Object.keys(grads).join(", ")}`);
    return grads[keys[0]!]!;
  };
  weights.forEach((w, d) => {
    const sfx = `_l0${d === 1 ? "_reverse" : ""}`;
    params[`weight_ih${sfx}`] = transpose(w.kernel, I, G);
    params[`weight_hh${sfx}`] = transpose(w.recurrent, H, G);
    params[`bias_ih${sfx}`] = { shape: [G], data: [...Float32Array.from(w.bias)] };
    params[`bias_hh${sfx}`] = { shape: [G], data: new Array<number>(G).fill(0) };
    paramGrads[`weight_ih${sfx}`] = json(tf.transpose(gradOf("kernel", d)));
    paramGrads[`weight_hh${sfx}`] = json(tf.transpose(gradOf("recurrent_kernel", d)));
    paramGrads[`bias_ih${sfx}`] = json(gradOf("bias", d));
  });
  // Outputs: [sequence, h, (c)] uni; [sequence, h_fw, (c_fw), h_bw, (c_bw)] bidirectional.
  return {
    name: c.name,
    cell: c.cell,
    bidirectional: c.bidirectional,
    input: c.input,
    sizes: { B, T, I, H },
    keep: c.keep,
    embedding: embedding === null ? null : { shape: [c.vocab!, I], data: [...Float32Array.from(embedding)] },
    x: c.input === "embedding" ? { shape: [B, T], data: ids! } : json(x),
    params,
    outputs: results.map(json),
    lossWeights: lossWeights.map(json),
    grads: { params: paramGrads, embedding: embed !== null ? json(Object.entries(grads).find(([n]) => n.includes("embedding"))![1]) : null },
  };
}

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith(".json")) rmSync(join(outDir, f));
  for (const c of cases) writeFileSync(join(outDir, `${c.name}.json`), JSON.stringify(fixture(c)) + "\n");
  writeFileSync(join(outDir, "index.json"), JSON.stringify(cases.map((c) => c.name)) + "\n");
  console.log(`wrote ${cases.length} fixtures to ${outDir}`);
}

await main();
