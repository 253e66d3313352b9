// Golden fixtures for the Keras-style recurrent layers (layers.simpleRNN / lstm / gru and
// layers.bidirectional), computed by TF.js (@tensorflow/tfjs, cpu backend) layers. Writes
// test/fixtures/keras-layers/<name>.json (+ index.json):
//
//   node --conditions=source --import tsx tools/gen_keras_layer_fixtures.ts
//
// The matrix: each cell (SimpleRNN, LSTM, GRU with resetAfter=false: TF.js's GRU has no
// reset_after, so resetAfter=true comes from PyTorch, tools/gen_keras_torch_fixtures.py) × each
// activation pair, goBackwards, returnState, returnSequences on and off, useBias off, stateful
// over two calls, masks (Masking with any pattern of masked steps, Embedding with maskZero) and
// Bidirectional with each merge mode. Weights are drawn from the library's Generator seeded per case name and
// set with setWeights in Keras's layout; the file stores them in that layout. It stores the
// outputs (Keras's return order), random loss weights defining loss = Σ_k Σ output_k · w_k, and
// the gradients of that loss with respect to the input (tf.grads; not through Masking, whose
// `any` TF.js does not differentiate, nor through ids) and every weight (tf.variableGrads), in
// Keras's layout. A stateful case stores a second call's input and outputs: the plain layer
// called with the first call's final states as initial state (Keras's definition of stateful).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Generator } from "recurrent";

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, "test", "fixtures", "keras-layers");

interface JsonTensor {
  shape: number[];
  data: number[];
}

const json = (t: tf.Tensor): JsonTensor => ({ shape: [...t.shape], data: Array.from(t.dataSync()) });

/** Uniform [0, 1) draws from the library's seeded Generator, seeded from the case name. */
function generator(name: string): () => number {
  let seed = 0;
  for (const ch of name) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const g = new Generator(seed);
  return () => g.uniform();
}

type Cell = "simpleRNN" | "lstm" | "gru";
type Merge = "concat" | "sum" | "mul" | "ave";

interface Case {
  name: string;
  cell: Cell;
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  /** Bidirectional with this merge mode. */
  merge?: Merge;
  /** "float" (plain input), "masking" (Masking, maskValue 0) or "embedding" (ids, maskZero). */
  input?: "float" | "masking" | "embedding";
  B?: number;
  T?: number;
  I?: number;
  H?: number;
  /** (B, T) keep pattern for masking/embedding inputs. */
  keep?: number[][];
}

const PAIRS: [string, string][] = [
  ["tanh", "sigmoid"],
  ["tanh", "hardSigmoid"],
  ["relu", "sigmoid"],
  ["linear", "hardSigmoid"],
  ["sigmoid", "sigmoid"],
];

const cases: Case[] = [];
for (const cell of ["simpleRNN", "lstm", "gru"] as const) {
  const pairs = cell === "simpleRNN" ? PAIRS.filter(([, g]) => g === "sigmoid").map(([a]) => [a, "sigmoid"] as [string, string]) : PAIRS;
  for (const [act, gate] of pairs) {
    const tag = cell === "simpleRNN" ? act : `${act}_${gate}`;
    cases.push({ name: `${cell}_${tag}_seq`, cell, activation: act, recurrentActivation: gate, returnSequences: true });
  }
  cases.push({ name: `${cell}_last`, cell });
  cases.push({ name: `${cell}_state_seq`, cell, returnSequences: true, returnState: true });
  cases.push({ name: `${cell}_backwards_state`, cell, goBackwards: true, returnState: true });
  cases.push({ name: `${cell}_backwards_seq`, cell, goBackwards: true, returnSequences: true });
  cases.push({ name: `${cell}_nobias_seq`, cell, useBias: false, returnSequences: true });
  cases.push({ name: `${cell}_stateful`, cell, stateful: true, returnSequences: true, returnState: true });
  const holes = [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 1, 0, 1], [0, 0, 1, 1, 1]];
  cases.push({ name: `${cell}_masking_seq_state`, cell, input: "masking", returnSequences: true, returnState: true, keep: holes, B: 4, T: 5 });
  cases.push({ name: `${cell}_masking_backwards`, cell, input: "masking", goBackwards: true, returnState: true, keep: holes, B: 4, T: 5 });
  cases.push({ name: `${cell}_embedding_last`, cell, input: "embedding", keep: [[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]], B: 3, T: 4 });
}
for (const merge of ["concat", "sum", "mul", "ave"] as const) {
  cases.push({ name: `bi_lstm_${merge}_seq`, cell: "lstm", merge, returnSequences: true });
  cases.push({ name: `bi_gru_${merge}_last_state`, cell: "gru", merge, returnState: true });
}
cases.push({ name: "bi_simpleRNN_concat_masking_seq", cell: "simpleRNN", merge: "concat", input: "masking", returnSequences: true, keep: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 1, 0, 1, 1]], B: 3, T: 5 });
cases.push({ name: "bi_lstm_concat_embedding_last", cell: "lstm", merge: "concat", input: "embedding", keep: [[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], B: 3, T: 4 });

type TfActivation = Parameters<typeof tf.layers.lstm>[0]["activation"];
const TF_NAMES: Record<string, string> = { hardSigmoid: "hardSigmoid", tanh: "tanh", sigmoid: "sigmoid", relu: "relu", linear: "linear" };

function makeLayer(c: Case): tf.layers.RNN {
  const opts = {
    units: c.H ?? 4,
    activation: TF_NAMES[c.activation ?? "tanh"] as TfActivation,
    useBias: c.useBias ?? true,
    returnSequences: c.returnSequences ?? false,
    returnState: c.returnState ?? false,
    goBackwards: c.goBackwards ?? false,
  };
  const gate = TF_NAMES[c.recurrentActivation ?? "sigmoid"] as TfActivation;
  if (c.cell === "lstm") return tf.layers.lstm({ ...opts, recurrentActivation: gate });
  if (c.cell === "gru") return tf.layers.gru({ ...opts, recurrentActivation: gate });
  return tf.layers.simpleRNN(opts);
}

function fixture(c: Case): Record<string, unknown> {
  const rand = generator(c.name);
  const uniform = (n: number, scale: number): number[] => Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const input = c.input ?? "float";
  const B = c.B ?? 3;
  const T = c.T ?? 4;
  const I = c.I ?? 3;
  const H = c.H ?? 4;
  const G = (c.cell === "lstm" ? 4 : c.cell === "gru" ? 3 : 1) * H;
  const dirs = c.merge === undefined ? 1 : 2;
  const useBias = c.useBias ?? true;
  const weights = Array.from({ length: dirs }, () => [uniform(I * G, 0.7), uniform(H * G, 0.7), ...(useBias ? [uniform(G, 0.5)] : [])]);
  const V = 7;
  const keep = c.keep ?? null;
  let xValues: number[];
  let embedding: number[] | null = null;
  if (input === "embedding") {
    xValues = keep!.flatMap((row) => row.map((k) => (k === 1 ? 1 + Math.floor(rand() * (V - 1)) : 0)));
    embedding = uniform(V * I, 1);
  } else if (input === "masking") {
    xValues = keep!.flatMap((row) => row.flatMap((k) => (k === 1 ? uniform(I, 1) : new Array<number>(I).fill(0))));
  } else xValues = uniform(B * T * I, 1);

  const stateful = c.stateful ?? false;
  const symbolicInput = input === "embedding" ? tf.input({ shape: [T], dtype: "int32" }) : tf.input({ shape: [T, I] });
  const embed = input === "embedding" ? tf.layers.embedding({ inputDim: V, outputDim: I, maskZero: true }) : null;
  const front = embed !== null ? (embed.apply(symbolicInput) as tf.SymbolicTensor) : input === "masking" ? (tf.layers.masking({ maskValue: 0 }).apply(symbolicInput) as tf.SymbolicTensor) : symbolicInput;
  const rnn = makeLayer(c);
  const wrapper = c.merge === undefined ? null : tf.layers.bidirectional({ layer: rnn, mergeMode: c.merge });
  const applied = (wrapper ?? rnn).apply(front) as tf.SymbolicTensor | tf.SymbolicTensor[];
  const model = tf.model({ inputs: symbolicInput, outputs: Array.isArray(applied) ? applied : [applied] });
  if (embed !== null) embed.setWeights([tf.tensor2d(embedding!, [V, I])]);
  const toTf = (w: number[][]): tf.Tensor[] => [tf.tensor2d(w[0]!, [I, G]), tf.tensor2d(w[1]!, [H, G]), ...(useBias ? [tf.tensor1d(w[2]!)] : [])];
  (wrapper ?? rnn).setWeights(weights.flatMap(toTf));
  const x = input === "embedding" ? tf.tensor2d(xValues, [B, T], "int32") : tf.tensor3d(xValues, [B, T, I]);
  const run = (xi: tf.Tensor): tf.Tensor[] => {
    const r = model.apply(xi, { training: false }) as tf.Tensor | tf.Tensor[];
    return Array.isArray(r) ? r : [r];
  };
  const outputs = run(x);
  const lossWeights = outputs.map((r) => tf.tensor(uniform(r.size, 1), r.shape));
  const lossOf = (rs: tf.Tensor[]): tf.Scalar => rs.map((r, i) => tf.sum(tf.mul(r, lossWeights[i]!))).reduce((p, q) => tf.add(p, q)) as tf.Scalar;
  let second: Record<string, unknown> | null = null;
  let grads: Record<string, unknown> = {};
  if (stateful) {
    // The second call starts from the first call's final states. TF.js's own stateful mode gives
    // other values than its plain layer even on a first call from zero states, so Keras's
    // definition is applied here: the plain layer, called with the first call's final states.
    const x2 = tf.tensor3d(uniform(B * T * I, 1), [B, T, I]);
    const carried = rnn.apply(x2, { initialState: outputs.slice(1) }) as tf.Tensor[];
    second = { x: json(x2), outputs: carried.map(json) };
  } else {
    const layerWeights = (wrapper ?? rnn).trainableWeights;
    const vars = layerWeights.map((w) => w.read() as tf.Variable);
    const { grads: g } = tf.variableGrads(() => lossOf(run(x)), vars);
    const perDir: JsonTensor[][] = [];
    const per = useBias ? 3 : 2;
    vars.forEach((v, k) => {
      const d = Math.floor(k / per);
      (perDir[d] ??= []).push(json(g[v.name]!));
    });
    grads = { weights: perDir };
    if (input === "float") grads["x"] = json(tf.grads((xi: tf.Tensor) => lossOf(run(xi)))([x])[0]!);
    if (embed !== null) {
      const ev = embed.trainableWeights[0]!.read() as tf.Variable;
      const { grads: eg } = tf.variableGrads(() => lossOf(run(x)), [ev]);
      grads["embedding"] = json(eg[ev.name]!);
    }
  }
  const options: Record<string, unknown> = {
    units: H,
    activation: c.activation ?? "tanh",
    useBias,
    returnSequences: c.returnSequences ?? false,
    returnState: c.returnState ?? false,
    goBackwards: c.goBackwards ?? false,
    stateful,
  };
  if (c.cell !== "simpleRNN") options["recurrentActivation"] = c.recurrentActivation ?? "sigmoid";
  if (c.cell === "gru") options["resetAfter"] = false;
  return {
    name: c.name,
    source: "TF.js 4.22 layers, cpu backend",
    cell: c.cell,
    options,
    merge: c.merge ?? null,
    input,
    sizes: { B, T, I, H },
    keep,
    embedding: embedding === null ? null : { shape: [V, I], data: [...Float32Array.from(embedding)] },
    x: input === "embedding" ? { shape: [B, T], data: xValues } : json(x),
    weights: weights.map((w) => [
      { shape: [I, G], data: [...Float32Array.from(w[0]!)] },
      { shape: [H, G], data: [...Float32Array.from(w[1]!)] },
      ...(useBias ? [{ shape: [G], data: [...Float32Array.from(w[2]!)] }] : []),
    ]),
    outputs: outputs.map(json),
    lossWeights: lossWeights.map(json),
    grads,
    second,
  };
}

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith(".json") && !f.startsWith("torch_")) rmSync(join(outDir, f));
  for (const c of cases) writeFileSync(join(outDir, `${c.name}.json`), JSON.stringify(fixture(c)) + "\n");
  writeFileSync(join(outDir, "index.json"), JSON.stringify(cases.map((c) => c.name)) + "\n");
  console.log(`wrote ${cases.length} fixtures to ${outDir}`);
}

await main();
