/**
 * Fuzzes importOnnx: `node --conditions=source --import tsx fuzz/onnx.ts --cases 100000`.
 * Documented failure: OnnxError. One case in sixteen is random bytes. Seeds are the PyTorch-exported fixtures and files exportOnnx
 * writes (single layers, stacks, Sequentials). Half the cases are structure-aware: the seed is
 * decoded, one field of the model (a dim, an attribute, an op type, an input name, a tensor's
 * data, a node's place) is replaced by a hostile value, and the model is encoded again, so the
 * case gets past the wire format into the graph reader. Edits land in a Scan body (the projected
 * LSTM's cell) a third of the time when the seed has one; one edit kind writes random
 * `activations` lists with alphas and betas.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { GRU, LSTM, RNN, Linear, Embedding, Sequential, PeepholeLSTM, RecurrentLayer, manualSeed } from "../src/index.js";
import { exportOnnx } from "../src/io/interop/onnx/export.js";
import { importOnnx } from "../src/io/interop/onnx/import.js";
import { ATTR_FLOATS, ATTR_INT, ATTR_STRING, ATTR_STRINGS, OnnxError, decodeOnnxModel, encodeOnnxModel, type OnnxModel } from "../src/io/interop/onnx/proto.js";
import { Generator } from "../src/tensor/random.js";
import { main, type FuzzTarget } from "./lib.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/interop/onnx/", import.meta.url));

function seeds(): Uint8Array[] {
  const out: Uint8Array[] = readdirSync(fixtures)
    .filter((f) => f.endsWith(".onnx"))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(fixtures, f))));
  manualSeed(11);
  out.push(
    exportOnnx(new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true })),
    exportOnnx(new GRU({ inputSize: 2, hiddenSize: 2, batchFirst: true }), { sequenceLens: true }),
    exportOnnx(new RNN({ inputSize: 2, hiddenSize: 2, nonlinearity: "relu", bias: false }), { initialStates: false }),
    exportOnnx(new Sequential([new Embedding({ numEmbeddings: 5, embeddingDim: 2 }), new LSTM({ inputSize: 2, hiddenSize: 2, batchFirst: true }), new Linear({ inFeatures: 2, outFeatures: 3 })])),
    exportOnnx(new LSTM({ inputSize: 2, hiddenSize: 3, projSize: 2, numLayers: 2, bidirectional: true })),
    exportOnnx(new PeepholeLSTM({ inputSize: 2, hiddenSize: 2, bidirectional: true })),
    exportOnnx(new LSTM({ inputSize: 2, hiddenSize: 2, recurrentActivation: "hardSigmoidKeras3", activation: "linear" })),
    exportOnnx(new RecurrentLayer({ cell: "gru_reset_before", inputSize: 2, hiddenSize: 2, recurrentActivation: "hardSigmoid" })),
  );
  return out;
}

const HOSTILE_INTS = [-1, 0, 1, 2, 3, 4, 7, 2 ** 31 - 1, 2 ** 31, 2 ** 40, 2 ** 53 - 1, -(2 ** 53) + 1];
const OPS = ["LSTM", "GRU", "RNN", "MatMul", "Gemm", "Add", "Gather", "Transpose", "Reshape", "Squeeze", "Concat", "Slice", "Loop", "Scan", "If", "Sin", ""];
const STRINGS = ["forward", "reverse", "bidirectional", "Tanh", "Relu", "Sigmoid", "", "__proto__", "constructor", "x".repeat(70_000)];

function pick<T>(rng: Generator, list: readonly T[]): T {
  return list[rng.randint(0, list.length)]!;
}

/** One hostile edit of a decoded model. */
const ACTIVATIONS = ["Sigmoid", "Tanh", "Relu", "HardSigmoid", "Affine", "Elu", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "Softsign", "Softplus", "Cosh", ""];

function editModel(m: OnnxModel, rng: Generator): void {
  const bodies = m.graph.nodes.flatMap((n) => n.attributes.flatMap((a) => (a.g !== undefined ? [a.g] : [])));
  const g = bodies.length > 0 && rng.randint(0, 3) === 0 ? pick(rng, bodies) : m.graph;
  const node = g.nodes.length > 0 ? pick(rng, g.nodes) : null;
  const init = g.initializers.length > 0 ? pick(rng, g.initializers) : null;
  switch (rng.randint(0, 11)) {
    case 0:
      if (init !== null && init.dims.length > 0) init.dims[rng.randint(0, init.dims.length)] = pick(rng, HOSTILE_INTS);
      break;
    case 1:
      if (init !== null) init.dims = Array.from({ length: rng.randint(0, 6) }, () => pick(rng, HOSTILE_INTS));
      break;
    case 2:
      if (node !== null) node.opType = pick(rng, OPS);
      break;
    case 3:
      if (node !== null && node.attributes.length > 0) {
        const a = pick(rng, node.attributes);
        if (rng.randint(0, 2) === 0) a.i = pick(rng, HOSTILE_INTS);
        else a.ints = Array.from({ length: rng.randint(0, 5) }, () => pick(rng, HOSTILE_INTS));
      }
      break;
    case 4:
      if (node !== null) {
        const name = pick(rng, ["hidden_size", "direction", "linear_before_reset", "activations", "axis", "perm", "transB", "layout", "clip"]);
        const str = name === "direction" || name === "activations";
        node.attributes.push({ name, type: str ? ATTR_STRING : ATTR_INT, f: 0, i: pick(rng, HOSTILE_INTS), s: pick(rng, STRINGS), t: null, floats: [], ints: [], strings: [] });
      }
      break;
    case 5:
      if (node !== null && node.inputs.length > 0) {
        const names = [...g.initializers.map((t) => t.name), ...g.nodes.flatMap((n) => n.outputs), "", "nowhere"];
        node.inputs[rng.randint(0, node.inputs.length)] = pick(rng, names);
      }
      break;
    case 6:
      if (g.nodes.length > 1) {
        const [i, j] = [rng.randint(0, g.nodes.length), rng.randint(0, g.nodes.length)];
        [g.nodes[i], g.nodes[j]] = [g.nodes[j]!, g.nodes[i]!];
      }
      break;
    case 7:
      if (g.nodes.length > 0) {
        const k = rng.randint(0, g.nodes.length);
        if (rng.randint(0, 2) === 0) g.nodes.splice(k, 1);
        else g.nodes.splice(k, 0, { ...g.nodes[k]! });
      }
      break;
    case 8:
      if (init !== null && init.floats !== null) init.floats = init.floats.subarray(0, rng.randint(0, init.floats.length + 1));
      break;
    case 9:
      if (node !== null) {
        const base = { f: 0, i: 0, s: "", t: null, floats: [], ints: [], strings: [] };
        const floats = (): number[] => Array.from({ length: rng.randint(0, 4) }, () => pick(rng, [0, 0.2, 0.5, 1 / 6, 1, -1, 1e30, NaN]));
        node.attributes = node.attributes.filter((a) => !a.name.startsWith("activation"));
        node.attributes.push({ ...base, name: "activations", type: ATTR_STRINGS, strings: Array.from({ length: rng.randint(0, 7) }, () => pick(rng, ACTIVATIONS)) });
        node.attributes.push({ ...base, name: "activation_alpha", type: ATTR_FLOATS, floats: floats() }, { ...base, name: "activation_beta", type: ATTR_FLOATS, floats: floats() });
      }
      break;
    default:
      if (g.outputs.length > 0 && rng.randint(0, 2) === 0) g.outputs.reverse();
      else if (g.inputs.length > 0) g.inputs.reverse();
  }
}

function mutateStructured(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  // One case in eight is random bytes of a random length: no seed at all.
  if (rng.randint(0, 8) === 0) {
    const out = new Uint8Array(rng.randint(0, 4097));
    for (let i = 0; i < out.length; i++) out[i] = rng.randint(0, 256);
    return out;
  }
  let m: OnnxModel;
  try {
    m = decodeOnnxModel(input);
  } catch {
    return mutateBytes(input);
  }
  const edits = rng.randint(1, 4);
  for (let k = 0; k < edits; k++) editModel(m, rng);
  try {
    return encodeOnnxModel(m);
  } catch {
    return mutateBytes(input);
  }
}

export const target: FuzzTarget = {
  name: "onnx",
  seeds: seeds(),
  run(input) {
    const model = importOnnx(input);
    let held = 0;
    for (const p of model.parameters()) held += p.data.byteLength;
    return held;
  },
  expected: (err) => err instanceof OnnxError,
  mutate: mutateStructured,
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(target);
