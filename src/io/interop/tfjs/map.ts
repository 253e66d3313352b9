/**
 * A TF.js / Keras Sequential description (format.ts) as the library's Keras-style layers.
 *
 * Read, into a `Sequential` (batch-first (B, T, ·), as Keras):
 * - `SimpleRNN`, `LSTM`, `GRU` → `KerasSimpleRNN`, `KerasLSTM`, `KerasGRU` built from the file's
 *   config (every setting the Keras layers have: activations, TF.js's default `hard_sigmoid`
 *   included; GRU `reset_after` both ways; `return_sequences`; `go_backwards`; `stateful`, whose
 *   state is kept between calls as the Keras layers define; `dropout`, `recurrent_dropout`,
 *   training-time only) with the file's weights in Keras layout;
 * - `Bidirectional` (merge modes concat, sum, mul, ave) → `KerasBidirectional`;
 * - `Embedding` (`mask_zero` too) → `Embedding`; `Masking` → `Masking`; `Dense` and
 *   `TimeDistributed(Dense)` (any elementwise activation) → `KerasDense`; `Dropout` → `Dropout`;
 *   `InputLayer` is skipped. Masks travel as Keras's do: a recurrent layer or Bidirectional
 *   returning sequences and a Dense hand the mask they read to the next layer, and so does a
 *   Dropout outside training (it returns its input).
 *
 * Initializers, regularizers and constraints are training-time settings of the file's author:
 * the weights come from the file, so they are not read. Regularizers and constraints take the
 * library's defaults (none); the recurrent layers' initializers are zeros (building them with
 * the default orthogonal draw would cost seconds for large layers, only to be overwritten).
 * Refused, naming the layer and the setting: `return_state` (a Sequential passes one tensor),
 * Bidirectional with merge_mode null (two outputs) or a `backward_layer` of its own, a
 * `TimeDistributed` of anything but Dense, and any other class.
 */
import type { Layer, LayerConfig } from "../../../nn/module.js";
import { Sequential } from "../../../models/sequential.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Masking } from "../../../nn/layers/masking.js";
import { Dropout } from "../../../nn/layers/dropout.js";
import type { MergeMode } from "../../../nn/layers/bidirectional.js";
import { KerasLSTM, KerasGRU, KerasSimpleRNN } from "../../../nn/keras/layers.js";
import { KerasBidirectional } from "../../../nn/keras/bidirectional.js";
import { KerasDense } from "../../../nn/keras/dense.js";
import type { KerasRecurrent } from "../../../nn/keras/recurrent.js";
import { TfjsFormatError, type TfjsLayer, type TfjsModelDescription, type TfjsWeight } from "./format.js";

type Json = Record<string, unknown>;

/** A value for an error message, clipped so a hostile file cannot make the message long. */
function q(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type Fail = (why: string) => never;

/** Config keys that do not change what a loaded layer computes (see this file's comment). */
const NOT_READ = /_(initializer|regularizer|constraint)$/;

/**
 * The file's config as Keras-layer options: training-time settings dropped, and TF.js's nulls
 * for "the default" (`unit_forget_bias: null`, `implementation: null`) read as absent.
 */
function readableConfig(c: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(c)) {
    // The input size comes from the weights (checkedInputSize), not from the config's shapes.
    if (NOT_READ.test(k) || k === "time_major" || k === "cell" || k === "batch_input_shape" || k === "batch_shape" || k === "input_shape" || k === "input_dim") continue;
    if (v === null && (k === "unit_forget_bias" || k === "implementation" || k === "recurrent_activation" || k === "seed")) continue;
    out[k] = v;
  }
  return out;
}

const RECURRENT: Record<string, (c: Json) => KerasRecurrent> = {
  SimpleRNN: (c) => KerasSimpleRNN.fromConfig(c as LayerConfig),
  LSTM: (c) => KerasLSTM.fromConfig(c as LayerConfig),
  GRU: (c) => KerasGRU.fromConfig(c as LayerConfig),
};

/** The last part of a manifest name: "bi/forward_lstm/kernel" → "kernel". */
function leaf(w: TfjsWeight): string {
  return w.name.slice(w.name.lastIndexOf("/") + 1);
}

/** Initializers of a layer whose weights are set right after it is built. */
const FILE_WEIGHTS = { kernel_initializer: "zeros", recurrent_initializer: "zeros", bias_initializer: "zeros" } as const;

const GATES: Record<string, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

/**
 * The input size, from the weights checked against `units` BEFORE the layer is made: the layer
 * allocates what the config says, so the config must agree with weights the file really holds.
 */
function checkedInputSize(className: string, c: Json, ws: TfjsWeight[], fail: Fail): number {
  const units = c["units"];
  if (typeof units !== "number" || !Number.isSafeInteger(units) || units < 1) fail(`units must be a positive integer, got ${q(units)}`);
  const G = GATES[className]! * (units as number);
  const [kernel, recurrent] = ws;
  const I = kernel?.shape[0];
  if (kernel === undefined || leaf(kernel) !== "kernel" || kernel.shape.length !== 2 || I === undefined || I < 1 || kernel.shape[1] !== G) {
    fail(`expected kernel [I, ${G}] first (units = ${units}), got ${kernel === undefined ? "no weights" : `${q(kernel.name)} [${kernel.shape.join(", ")}]`}`);
  }
  if (recurrent === undefined || leaf(recurrent) !== "recurrent_kernel" || recurrent.shape.join(",") !== `${units},${G}`) {
    fail(`expected recurrent_kernel [${units}, ${G}] second, got ${recurrent === undefined ? "none" : `${q(recurrent.name)} [${recurrent.shape.join(", ")}]`}`);
  }
  return I!;
}

function recurrentLayer(className: string, config: Json, ws: TfjsWeight[], fail: Fail): KerasRecurrent {
  const make = RECURRENT[className] ?? fail(`class ${q(className)} is not SimpleRNN, LSTM or GRU`);
  if (config["return_state"] === true) fail("return_state = true: a Sequential passes one output from layer to layer");
  const I = checkedInputSize(className, config, ws, fail);
  // The weights come from the file: zeros initializers skip the orthogonal draw (seconds at H = 512).
  const layer = make({ ...readableConfig(config), ...FILE_WEIGHTS, input_dim: I });
  const want = layer.weightNames();
  if (ws.map(leaf).join(",") !== want.join(",")) fail(`weights ${ws.slice(0, 4).map((w) => q(w.name)).join(", ")}: expected ${want.join(", ")}`);
  layer.setWeights(ws.map((w) => ({ shape: w.shape, data: w.data })));
  return layer;
}

const MERGE_MODES: readonly string[] = ["concat", "sum", "mul", "ave"];

function bidirectionalLayer(l: TfjsLayer, fail: Fail): KerasBidirectional {
  const inner = l.config["layer"];
  if (!isObject(inner) || typeof inner["class_name"] !== "string" || !isObject(inner["config"])) fail("Bidirectional needs its layer as { class_name, config }");
  const mode = l.config["merge_mode"] === undefined ? "concat" : l.config["merge_mode"];
  if (typeof mode !== "string" || !MERGE_MODES.includes(mode)) fail(`merge_mode ${q(mode)}: read are concat, sum, mul and ave (null gives two outputs, which a Sequential cannot pass on)`);
  if (l.config["backward_layer"] != null) fail("a backward_layer of its own is not read; the backward layer is the wrapped layer's copy, as Keras makes it");
  const half = l.weights.length / 2;
  if (!Number.isInteger(half) || half === 0) fail(`${l.weights.length} weights do not split into two directions`);
  const parts = [0, 1].map((d) => {
    const ws = l.weights.slice(d * half, (d + 1) * half);
    const dir = d === 0 ? "forward" : "backward";
    if (!ws.every((w) => w.name.includes(`/${dir}_`))) fail(`the ${dir} weights must come ${d === 0 ? "first" : "second"}, named */${dir}_*`);
    return recurrentLayer(inner["class_name"] as string, inner["config"] as Json, ws, fail);
  });
  return new KerasBidirectional(parts[0]!, { mergeMode: mode as MergeMode, backwardLayer: parts[1]! });
}

function denseLayer(c: Json, ws: TfjsWeight[], fail: Fail): KerasDense {
  const k = ws[0];
  if (k === undefined || leaf(k) !== "kernel" || k.shape.length !== 2 || (k.shape[0] ?? 0) < 1) fail(`weights ${ws.slice(0, 4).map((w) => q(w.name)).join(", ") || "(none)"}: expected kernel [in, out] first`);
  const useBias = c["use_bias"] !== false;
  if (ws.map(leaf).join(",") !== (useBias ? "kernel,bias" : "kernel")) fail(`weights ${ws.slice(0, 4).map((w) => q(w.name)).join(", ")}: expected kernel${useBias ? ", bias" : ""}`);
  const units = c["units"];
  if (units !== k!.shape[1]) fail(`units = ${q(units)} but the kernel has shape [${k!.shape.join(", ")}]`);
  const dense = new KerasDense({ units: k!.shape[1]!, useBias, activation: typeof c["activation"] === "string" ? c["activation"] : "linear", inputDim: k!.shape[0]! });
  dense.setWeights(ws.map((w) => ({ shape: w.shape, data: w.data })));
  return dense;
}

function noWeights(l: TfjsLayer, fail: Fail): void {
  if (l.weights.length > 0) fail(`a ${l.className} layer has no weights, got ${q(l.weights[0]!.name)}`);
}

function layerFor(l: TfjsLayer, fail: Fail): Layer {
  switch (l.className) {
    case "LSTM":
    case "GRU":
    case "SimpleRNN":
      return recurrentLayer(l.className, l.config, l.weights, fail);
    case "Bidirectional":
      return bidirectionalLayer(l, fail);
    case "Dense":
      return denseLayer(l.config, l.weights, fail);
    case "TimeDistributed": {
      const inner = l.config["layer"];
      if (!isObject(inner) || inner["class_name"] !== "Dense" || !isObject(inner["config"])) return fail("only TimeDistributed(Dense) is read");
      return denseLayer(inner["config"], l.weights, fail);
    }
    case "Embedding": {
      const w = l.weights[0];
      if (l.weights.length !== 1 || w === undefined || w.shape.length !== 2 || (w.shape[0] ?? 0) < 1 || (w.shape[1] ?? 0) < 1) return fail("expected one weight, embeddings [V, E]");
      const maskZero = l.config["mask_zero"] ?? false;
      if (typeof maskZero !== "boolean") fail(`mask_zero must be true or false, got ${q(maskZero)}`);
      const e = new Embedding({ numEmbeddings: w.shape[0]!, embeddingDim: w.shape[1]!, maskZero: maskZero as boolean });
      e.loadStateDict({ weight: { shape: w.shape, data: w.data } });
      return e;
    }
    case "Masking": {
      noWeights(l, fail);
      const value = l.config["mask_value"] ?? 0;
      if (typeof value !== "number" || !Number.isFinite(value)) return fail(`mask_value must be a finite number, got ${q(value)}`);
      return new Masking({ maskValue: value });
    }
    case "Dropout": {
      noWeights(l, fail);
      const rate = l.config["rate"] ?? 0;
      if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) return fail(`rate must be a number in [0, 1), got ${q(rate)}`);
      return new Dropout({ p: rate });
    }
    default:
      return fail("not one of SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Masking, Dense, TimeDistributed(Dense), Dropout");
  }
}

/** The library's Sequential of Keras-style layers for a TF.js description (see this file's comment); `where` names the file. */
export function tfjsToModel(desc: TfjsModelDescription, where = "model.json"): Sequential {
  const layers: Layer[] = desc.layers.map((l, k): Layer => {
    const fail = (why: string): never => {
      throw new TfjsFormatError(`${where}: layer ${k} (${q(l.className)} ${q(l.config["name"] ?? "")}): ${why}`);
    };
    try {
      return layerFor(l, fail);
    } catch (err) {
      if (err instanceof TfjsFormatError) throw err;
      // A layer's own message may quote a value from the file at length: clip it.
      const message = err instanceof Error ? err.message : String(err);
      return fail(message.length > 300 ? `${message.slice(0, 300)}...` : message);
    }
  });
  if (layers.length === 0) throw new TfjsFormatError(`${where}: the model has no layers`);
  return new Sequential(layers);
}
