/**
 * A TF.js / Keras Sequential description (format.ts) to the library's layers, and back.
 *
 * Read, into a `Sequential` whose recurrent layers are batch-first (Keras's (B, T, ·)):
 * - `SimpleRNN` (tanh or relu) → RNN; `LSTM` (tanh, recurrent_activation sigmoid) → LSTM;
 *   `GRU` with reset_after=true (tanh, sigmoid) → GRU; each wrapped in `Bidirectional`
 *   (merge_mode concat) → the same layer with bidirectional: true. Keras keeps one bias where
 *   LSTM and SimpleRNN here have two: it becomes `bias_ih`, with `bias_hh` zero (the cell adds
 *   them, so the function is the same); GRU's (2, 3H) bias is the input and recurrent pair.
 * - `Embedding` (mask_zero false) → Embedding; `Dense` and `TimeDistributed(Dense)` with
 *   activation linear → Linear; `Dropout` → Dropout; `InputLayer` is skipped.
 *
 * Refused, naming the layer and the setting: recurrent layers with return_sequences=false (the
 * last step alone), go_backwards, stateful, return_state, dropout or recurrent_dropout, other
 * activations (TF.js's default hard_sigmoid included); GRU reset_after=false (TF.js's only GRU;
 * its cell, "gru-reset-before", is not in this library yet); Masking and mask_zero (masks are
 * not carried through a Sequential); Dense with an activation; any other class.
 *
 * Written (`modelToTfjs`): a Sequential (or one layer) of Embedding, LSTM, GRU, RNN (tanh, relu),
 * Linear (→ Dense) and Dropout. A stacked layer becomes that many Keras layers (with Dropout
 * between them when it has inter-layer dropout), a bidirectional one a Bidirectional wrapper;
 * the two biases of LSTM and RNN are summed into Keras's one. The model reads (B, T, ·) whatever
 * the layers' batchFirst. TF.js loads everything written except GRU, which Keras writes with
 * reset_after=true and TF.js refuses; Keras (Python) loads those too.
 */
import type { Layer, Module } from "../../../nn/module.js";
import { Sequential } from "../../../models/sequential.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Dropout } from "../../../nn/layers/dropout.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import { GRU, LSTM, RNN } from "../../../nn/layers/rnn.js";
import { permuteGateColumns, permuteGateRows, type GateCell } from "../gate-order.js";
import { TfjsFormatError, type TfjsLayer, type TfjsModelDescription, type TfjsWeight } from "./format.js";

type Json = Record<string, unknown>;

/** (rows, cols) row-major → (cols, rows). */
function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

/** A value for an error message, clipped so a hostile file cannot make the message long. */
function q(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const KERAS_CELLS: Record<string, "lstm" | "gru" | "rnn"> = { LSTM: "lstm", GRU: "gru", SimpleRNN: "rnn" };

interface Recurrent {
  cell: GateCell;
  units: number;
  bias: boolean;
}

/** Checks a recurrent layer's config against what the library's layers compute; returns its cell. */
function recurrentConfig(className: string, c: Json, fail: (why: string) => never): Recurrent {
  const kind = KERAS_CELLS[className] ?? fail(`class ${q(className)} is not a recurrent layer`);
  const units = c["units"];
  if (typeof units !== "number" || !Number.isSafeInteger(units) || units < 1 || units > 65536) fail(`units must be an integer in [1, 65536], got ${q(units)}`);
  const flag = (name: string, want: boolean, why: string): void => {
    const v = c[name] ?? false;
    if (v !== want) fail(`${name} = ${q(v)}: ${why}`);
  };
  flag("return_sequences", true, "only whole sequences are read (a layer returning its last step has no Sequential counterpart here)");
  flag("go_backwards", false, "reversed layers are not read");
  flag("stateful", false, "stateful layers are not read");
  flag("return_state", false, "a Sequential passes outputs only");
  for (const name of ["dropout", "recurrent_dropout"]) {
    const v = c[name] ?? 0;
    if (v !== 0) fail(`${name} = ${q(v)}: Keras's per-sequence dropout masks are not read`);
  }
  const activation = c["activation"] ?? "tanh";
  const gate = c["recurrent_activation"] ?? "sigmoid";
  let cell: GateCell;
  if (kind === "rnn") {
    if (activation !== "tanh" && activation !== "relu") fail(`activation ${q(activation)}: SimpleRNN is read with tanh or relu`);
    cell = activation === "relu" ? "rnn_relu" : "rnn_tanh";
  } else {
    if (activation !== "tanh") fail(`activation ${q(activation)}: ${className} is read with tanh`);
    if (gate !== "sigmoid") fail(`recurrent_activation ${q(gate)}: ${className} is read with sigmoid (TF.js's default is hard_sigmoid: set recurrentActivation: "sigmoid")`);
    cell = kind;
  }
  if (kind === "gru" && c["reset_after"] !== true) {
    fail(`reset_after = ${q(c["reset_after"] ?? false)}: the reset-before GRU (TF.js's only GRU) is not a cell of this library yet; a reset_after=true GRU (Keras 2+'s default) is read`);
  }
  return { cell, units, bias: (c["use_bias"] ?? true) !== false };
}

/** The weights of one direction: kernel, recurrent_kernel[, bias], checked by name and shape. */
function directionWeights(ws: TfjsWeight[], r: Recurrent, fail: (why: string) => never): { wih: Float32Array; whh: Float32Array; bih: Float32Array | null; bhh: Float32Array | null; inputSize: number } {
  const H = r.units;
  const gates = r.cell === "lstm" ? 4 : r.cell === "gru" ? 3 : 1;
  const G = gates * H;
  const want = r.bias ? ["kernel", "recurrent_kernel", "bias"] : ["kernel", "recurrent_kernel"];
  const names = ws.map((w) => w.name.slice(w.name.lastIndexOf("/") + 1));
  if (names.join(",") !== want.join(",")) fail(`weights ${ws.slice(0, 4).map((w) => q(w.name)).join(", ") || "(none)"}: expected ${want.join(", ")}`);
  const [k, rk, b] = ws as [TfjsWeight, TfjsWeight, TfjsWeight | undefined];
  const I = k.shape[0] ?? 0;
  if (k.shape.length !== 2 || k.shape[1] !== G || I < 1) fail(`kernel has shape [${k.shape.join(", ")}]; expected [I, ${G}]`);
  if (rk.shape.join(",") !== `${H},${G}`) fail(`recurrent_kernel has shape [${rk.shape.join(", ")}]; expected [${H}, ${G}]`);
  const cell = r.cell;
  const toRows = (w: Float32Array, rows: number): Float32Array => transposed(permuteGateColumns(cell, "keras", "pytorch", w, rows, G), rows, G);
  let bih: Float32Array | null = null;
  let bhh: Float32Array | null = null;
  if (b !== undefined) {
    const pair = cell === "gru";
    if (b.shape.join(",") !== (pair ? `2,${G}` : `${G}`)) fail(`bias has shape [${b.shape.join(", ")}]; expected [${pair ? `2, ${G}` : G}]`);
    bih = permuteGateRows(cell, "keras", "pytorch", b.data.subarray(0, G), G, 1);
    bhh = pair ? permuteGateRows(cell, "keras", "pytorch", b.data.subarray(G), G, 1) : new Float32Array(G);
  }
  return { wih: toRows(k.data, I), whh: toRows(rk.data, H), bih, bhh, inputSize: I };
}

function recurrentLayer(l: TfjsLayer, fail: (why: string) => never): LSTM | GRU | RNN {
  const bidirectional = l.className === "Bidirectional";
  let className = l.className;
  let config = l.config;
  if (bidirectional) {
    const inner = l.config["layer"];
    if (!isObject(inner) || typeof inner["class_name"] !== "string" || !isObject(inner["config"])) fail("Bidirectional needs its layer as { class_name, config }");
    const mode = l.config["merge_mode"] ?? "concat";
    if (mode !== "concat") fail(`merge_mode ${q(mode)}: only concat is read (the library's bidirectional layers concatenate)`);
    className = inner["class_name"];
    config = inner["config"];
  }
  const r = recurrentConfig(className, config, fail);
  const D = bidirectional ? 2 : 1;
  const half = l.weights.length / D;
  if (!Number.isInteger(half)) fail(`${l.weights.length} weights do not split into ${D} directions`);
  const dirs = [0, 1].slice(0, D).map((d) => {
    const ws = l.weights.slice(d * half, (d + 1) * half);
    if (bidirectional && !ws.every((w) => w.name.includes(d === 0 ? "/forward_" : "/backward_"))) fail(`the ${d === 0 ? "forward" : "backward"} weights must come ${d === 0 ? "first" : "second"}, named */${d === 0 ? "forward" : "backward"}_*`);
    return directionWeights(ws, r, fail);
  });
  const I = dirs[0]!.inputSize;
  if (dirs.some((d) => d.inputSize !== I)) fail("the two directions read different input sizes");
  const opts = { inputSize: I, hiddenSize: r.units, bias: r.bias, bidirectional, batchFirst: true };
  const layer = r.cell === "lstm" ? new LSTM(opts) : r.cell === "gru" ? new GRU(opts) : new RNN({ ...opts, nonlinearity: r.cell === "rnn_relu" ? "relu" : "tanh" });
  const state: Record<string, { shape: number[]; data: Float32Array }> = {};
  const G = layer.spec.gatesPerUnit * r.units;
  dirs.forEach((w, d) => {
    const sfx = `_l0${d === 1 ? "_reverse" : ""}`;
    state[`weight_ih${sfx}`] = { shape: [G, I], data: w.wih };
    state[`weight_hh${sfx}`] = { shape: [G, r.units], data: w.whh };
    if (w.bih !== null && w.bhh !== null) {
      state[`bias_ih${sfx}`] = { shape: [G], data: w.bih };
      state[`bias_hh${sfx}`] = { shape: [G], data: w.bhh };
    }
  });
  layer.loadStateDict(state);
  return layer;
}

function denseLayer(c: Json, ws: TfjsWeight[], fail: (why: string) => never): Linear {
  const activation = c["activation"] ?? "linear";
  if (activation !== "linear") fail(`activation ${q(activation)}: only a linear Dense is read (apply the activation to the output)`);
  const useBias = (c["use_bias"] ?? true) !== false;
  const names = ws.map((w) => w.name.slice(w.name.lastIndexOf("/") + 1)).join(",");
  if (names !== (useBias ? "kernel,bias" : "kernel")) fail(`weights ${ws.slice(0, 4).map((w) => q(w.name)).join(", ") || "(none)"}: expected kernel${useBias ? ", bias" : ""}`);
  const k = ws[0]!;
  const [inF, outF] = k.shape;
  if (k.shape.length !== 2 || inF === undefined || outF === undefined || inF < 1 || outF < 1) fail(`kernel has shape [${k.shape.join(", ")}]; expected [in, out]`);
  const linear = new Linear({ inFeatures: inF!, outFeatures: outF!, bias: useBias });
  const state: Record<string, { shape: number[]; data: Float32Array }> = { weight: { shape: [outF!, inF!], data: transposed(k.data, inF!, outF!) } };
  if (useBias) {
    const b = ws[1]!;
    if (b.shape.join(",") !== String(outF)) fail(`bias has shape [${b.shape.join(", ")}]; expected [${outF}]`);
    state["bias"] = { shape: [outF!], data: b.data };
  }
  linear.loadStateDict(state);
  return linear;
}

/** The library's Sequential for a TF.js description (see this file's comment); `where` names the file. */
export function tfjsToModel(desc: TfjsModelDescription, where = "model.json"): Sequential {
  const layers: Layer[] = desc.layers.map((l, k): Layer => {
    const fail = (why: string): never => {
      throw new TfjsFormatError(`${where}: layer ${k} (${q(l.className)} ${q(l.config["name"] ?? "")}): ${why}`);
    };
    try {
      return layerFor(l, fail);
    } catch (err) {
      if (err instanceof TfjsFormatError) throw err;
      return fail(err instanceof Error ? err.message : String(err));
    }
  });
  if (layers.length === 0) throw new TfjsFormatError(`${where}: the model has no layers`);
  return new Sequential(layers);
}

function layerFor(l: TfjsLayer, fail: (why: string) => never): Layer {
  switch (l.className) {
    case "LSTM":
    case "GRU":
    case "SimpleRNN":
    case "Bidirectional":
      return recurrentLayer(l, fail);
    case "Dense":
      return denseLayer(l.config, l.weights, fail);
    case "TimeDistributed": {
      const inner = l.config["layer"];
      if (!isObject(inner) || inner["class_name"] !== "Dense" || !isObject(inner["config"])) return fail("only TimeDistributed(Dense) is read");
      return denseLayer(inner["config"], l.weights, fail);
    }
    case "Embedding": {
      if (l.config["mask_zero"] === true) fail("mask_zero = true: masks are not carried through a Sequential import");
      const w = l.weights[0];
      if (l.weights.length !== 1 || w === undefined || w.shape.length !== 2 || (w.shape[0] ?? 0) < 1 || (w.shape[1] ?? 0) < 1) return fail("expected one weight, embeddings [V, E]");
      const e = new Embedding({ numEmbeddings: w.shape[0]!, embeddingDim: w.shape[1]! });
      e.loadStateDict({ weight: { shape: w.shape, data: w.data } });
      return e;
    }
    case "Dropout": {
      const rate = l.config["rate"] ?? 0;
      if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) return fail(`rate must be a number in [0, 1), got ${q(rate)}`);
      if (l.weights.length > 0) fail("a Dropout layer has no weights");
      return new Dropout({ p: rate });
    }
    case "Masking":
      return fail("masks are not carried through a Sequential import; pass lengths or a mask to the recurrent layer instead");
    default:
      return fail("not one of SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Dense, TimeDistributed, Dropout");
  }
}

const KERAS_CLASS: Record<string, string> = { lstm: "LSTM", gru: "GRU", rnn_tanh: "SimpleRNN", rnn_relu: "SimpleRNN" };

/** Unique Keras-style layer names: "lstm", "lstm_1", ... */
function namer(): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  };
}

function recurrentToKeras(layer: RNNBase, name: (base: string) => string, first: boolean): TfjsLayer[] {
  const where = `modelToTfjs: ${layer.describe()}`;
  const className = KERAS_CLASS[layer.cell];
  if (className === undefined) throw new TfjsFormatError(`${where}: cell "${layer.cell}" has no Keras layer; written are lstm, gru, rnn_tanh and rnn_relu`);
  if (layer.projSize > 0) throw new TfjsFormatError(`${where}: projSize = ${layer.projSize}, but Keras's LSTM has no projection`);
  const cell: GateCell = layer.cell === "lstm" || layer.cell === "gru" || layer.cell === "rnn_relu" ? layer.cell : "rnn_tanh";
  const H = layer.hiddenSize;
  const G = layer.spec.gatesPerUnit * H;
  const sd = layer.stateDict();
  const get = (n: string): Float32Array => sd[n]?.data ?? new Float32Array(0);
  const out: TfjsLayer[] = [];
  for (let l = 0; l < layer.numLayers; l++) {
    const I = l === 0 ? layer.inputSize : layer.numDirections * H;
    const base = className === "SimpleRNN" ? "simple_rnn" : className.toLowerCase();
    const config: Json = {
      name: base,
      trainable: true,
      units: H,
      activation: cell === "rnn_relu" ? "relu" : "tanh",
      use_bias: layer.bias,
      return_sequences: true,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
      dropout: 0,
      recurrent_dropout: 0,
    };
    if (className !== "SimpleRNN") config["recurrent_activation"] = "sigmoid";
    if (className === "LSTM") config["unit_forget_bias"] = true;
    if (className === "GRU") config["reset_after"] = true;
    const outer = layer.bidirectional ? name("bidirectional") : name(base);
    if (!layer.bidirectional) config["name"] = outer;
    const weights: TfjsWeight[] = [];
    for (let d = 0; d < layer.numDirections; d++) {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      const prefix = layer.bidirectional ? `${outer}/${d === 0 ? "forward" : "backward"}_${base}` : outer;
      const toKeras = (w: Float32Array, cols: number): Float32Array => permuteGateColumns(cell, "pytorch", "keras", transposed(w, G, cols), cols, G);
      weights.push({ name: `${prefix}/kernel`, shape: [I, G], data: toKeras(get(`weight_ih${sfx}`), I) });
      weights.push({ name: `${prefix}/recurrent_kernel`, shape: [H, G], data: toKeras(get(`weight_hh${sfx}`), H) });
      if (layer.bias) {
        const bih = permuteGateRows(cell, "pytorch", "keras", get(`bias_ih${sfx}`), G, 1);
        const bhh = permuteGateRows(cell, "pytorch", "keras", get(`bias_hh${sfx}`), G, 1);
        if (cell === "gru") weights.push({ name: `${prefix}/bias`, shape: [2, G], data: Float32Array.from([...bih, ...bhh]) });
        else weights.push({ name: `${prefix}/bias`, shape: [G], data: Float32Array.from(bih, (v, k) => v + bhh[k]!) });
      }
    }
    const k: TfjsLayer = layer.bidirectional
      ? { className: "Bidirectional", config: { name: outer, trainable: true, merge_mode: "concat", layer: { class_name: className, config } }, weights }
      : { className, config, weights };
    if (first && l === 0) k.config["batch_input_shape"] = [null, null, I];
    out.push(k);
    if (l < layer.numLayers - 1 && layer.dropout > 0) out.push({ className: "Dropout", config: { name: name("dropout"), trainable: true, rate: layer.dropout }, weights: [] });
  }
  return out;
}

/** A TF.js description of `model` (a Sequential or one layer; see this file's comment). */
export function modelToTfjs(model: Module): TfjsModelDescription {
  const list: Module[] = model instanceof Sequential ? model.layers() : [model];
  const name = namer();
  const layers: TfjsLayer[] = [];
  list.forEach((m, k) => {
    const first = k === 0;
    if (m instanceof RNNBase) layers.push(...recurrentToKeras(m, name, first));
    else if (m instanceof Linear) {
      const n = name("dense");
      const weights: TfjsWeight[] = [{ name: `${n}/kernel`, shape: [m.inFeatures, m.outFeatures], data: transposed(m.weight.data, m.outFeatures, m.inFeatures) }];
      if (m.bias !== null) weights.push({ name: `${n}/bias`, shape: [m.outFeatures], data: Float32Array.from(m.bias.data) });
      const config: Json = { name: n, trainable: true, units: m.outFeatures, activation: "linear", use_bias: m.bias !== null };
      if (first) config["batch_input_shape"] = [null, null, m.inFeatures];
      layers.push({ className: "Dense", config, weights });
    } else if (m instanceof Embedding) {
      const n = name("embedding");
      const config: Json = { name: n, trainable: true, input_dim: m.opts.numEmbeddings, output_dim: m.opts.embeddingDim, mask_zero: false };
      if (first) config["batch_input_shape"] = [null, null];
      layers.push({ className: "Embedding", config, weights: [{ name: `${n}/embeddings`, shape: [m.opts.numEmbeddings, m.opts.embeddingDim], data: Float32Array.from(m.weight.data) }] });
    } else if (m instanceof Dropout) {
      if (first) throw new TfjsFormatError("modelToTfjs: a Dropout cannot come first (Keras needs the input's shape from the first layer)");
      layers.push({ className: "Dropout", config: { name: name("dropout"), trainable: true, rate: m.p }, weights: [] });
    } else {
      throw new TfjsFormatError(`modelToTfjs: ${m.describe()}${model instanceof Sequential ? ` (layer ${k})` : ""} has no Keras counterpart here; written are LSTM, GRU, RNN, Linear, Embedding, Dropout`);
    }
  });
  return { name: "sequential", layers };
}
