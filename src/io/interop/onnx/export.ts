/**
 * ONNX export of recurrent models: one RNN/LSTM/GRU layer (stacked, bidirectional, batch-first),
 * or a Sequential of such layers with Linear, Embedding and Dropout (identity at inference).
 *
 * Graph of one recurrent layer (symbols: T steps, B batch, I input, H hidden, D directions,
 * L layers):
 *   input (T, B, I) or (B, T, I)  -> [Transpose to (T, B, I) when batch-first]
 *   per layer l: LSTM/GRU/RNN node, initial states Slice(h0, l·D, (l+1)·D) on axis 0
 *     Y (T, D, B, H) -> Squeeze axis 1 (D = 1), or Transpose (T, B, D, H) + Reshape (T, B, D·H)
 *   output (T, B, D·H) [Transpose back when batch-first]; hN = Concat(Y_h of every layer), cN too.
 * Weights are float32 initializers in ONNX's gate order (converted by gate-order.ts); ONNX's
 * B is [Wb, Rb] per direction. GRU nodes have linear_before_reset = 1, which is PyTorch's GRU
 * (the library's GRU always applies the reset gate after the recurrent product).
 *
 * A peephole LSTM (peephole_lstm) is an LSTM node with the peephole input P (ONNX's equations are
 * the cell's). An LSTM with projSize > 0 has no ONNX operator (ONNX's LSTM has no projection): it is exported
 * as a Scan over the cell in primitive ops (lstm-projection.ts). The graph is the model at
 * inference: Dropout layers and the dropout between stacked layers are left out.
 */
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Dropout } from "../../../nn/layers/dropout.js";
import { Sequential } from "../../../models/sequential.js";
import type { Module } from "../../../nn/module.js";
import { isGateCell, permuteGateRows, type GateCell } from "../gate-order.js";
import { ONNX_FLOAT, ONNX_INT32, ONNX_INT64, OnnxError, encodeOnnxModel } from "./proto.js";
import { attr, floatsAttr, floatInit, fresh, intsInit, node, param, transpose, type Builder, type Context } from "./builder.js";
import { emitProjectedLstm } from "./lstm-projection.js";
import { recurrentBiasOrZeros } from "../recurrent-export.js";
import type { ActivationName } from "../../../nn/activations.js";
import { ONNX_ACTIVATIONS, type OnnxActivation } from "./activations.js";
import { describeActivations, nonDefaultActivations } from "../../../nn/cells/variant.js";

/** Options of exportOnnx. */
export interface OnnxExportOptions {
  /** ONNX operator set. Default 14 (LSTM, GRU and RNN are current there; onnxruntime runs it). */
  opset?: number;
  /**
   * Read (B, T, ·) instead of (T, B, ·) in every recurrent layer, overriding the layers' own
   * `batchFirst`. Default: each layer's own setting.
   */
  batchFirst?: boolean;
  /** T and B are symbolic ("T", "B"), so any length and batch run. Default true; false fixes them to `timeSteps` and `batchSize`. */
  dynamicAxes?: boolean;
  /** T when dynamicAxes is false. */
  timeSteps?: number;
  /** B when dynamicAxes is false. */
  batchSize?: number;
  /**
   * Initial states as inputs and final states as outputs, so that a client can stream: for one
   * layer `h0` (and `c0`) in, `hN` (and `cN`) out, each (L·D, B, H); in a Sequential, per
   * recurrent layer k `h0_k`, `c0_k`, `hN_k`, `cN_k`. Default true; false starts from zeros.
   */
  initialStates?: boolean;
  /** Add an int32 input `sequence_lens` (B): steps past a sequence's length are skipped (their outputs are 0). Default false. */
  sequenceLens?: boolean;
}

/**
 * The `activations` attribute of a layer with non-default nonlinearities, in ONNX's order (LSTM
 * f, g, h = gate, candidate, candidate; GRU f, g = gate, candidate; RNN f = candidate), or null
 * for the defaults. Throws for an activation ONNX's operators do not take.
 */
function onnxActivations(where: string, layer: RNNBase, cell: GateCell): OnnxActivation[] | null {
  const a = layer.activations;
  if (a === null || !nonDefaultActivations(layer.spec, a)) return null;
  const look = (name: ActivationName): OnnxActivation => {
    const m = ONNX_ACTIVATIONS[name];
    if (m === undefined) throw new OnnxError(`${where}: activation "${name}" has no ONNX counterpart in the ${cell === "lstm" ? "LSTM" : cell === "gru" ? "GRU" : "RNN"} operator; exported ones are ${Object.keys(ONNX_ACTIVATIONS).join(", ")}`);
    return m;
  };
  const candidate = look(a.candidate);
  if (cell === "rnn_tanh" || cell === "rnn_relu") return [candidate];
  const gate = look(a.gate);
  return cell === "lstm" ? [gate, candidate, candidate] : [gate, candidate];
}

/** Emits one recurrent layer reading `x`; returns the name of its (T, B, D·H) or (B, T, D·H) output. */
function emitRecurrent(ctx: Context, layer: RNNBase, x: string): string {
  const { b, opts } = ctx;
  const where = `exportOnnx: ${layer.describe()}`;
  const resetBefore = layer.cell === "gru_reset_before";
  const peephole = layer.cell === "peephole_lstm";
  if (!isGateCell(layer.cell) && !resetBefore && !peephole) {
    throw new OnnxError(`${where}: cell "${layer.cell}" has no ONNX operator; only lstm, peephole_lstm, gru, gru_reset_before, rnn_tanh and rnn_relu layers export`);
  }
  if (layer.projSize > 0) {
    if (layer.activations !== null && nonDefaultActivations(layer.spec, layer.activations)) throw new OnnxError(`${where}: an LSTM with projSize > 0 exports with sigmoid and tanh only, got ${describeActivations(layer.spec, layer.activations)}`);
    return emitProjectedLstm(ctx, layer, x);
  }
  // gru_reset_before has GRU's parameters in the same gate order; it differs only in linear_before_reset.
  const cell: GateCell = resetBefore ? "gru" : peephole ? "lstm" : (layer.cell as GateCell);
  const activations = onnxActivations(where, layer, cell);
  const L = layer.numLayers;
  const D = layer.numDirections;
  const H = layer.hiddenSize;
  const G = layer.spec.gatesPerUnit * H;
  const hasC = cell === "lstm";
  const batchFirst = opts.batchFirst ?? layer.batchFirst;
  const states = opts.initialStates ?? true;

  let h0 = "";
  let c0 = "";
  if (states) {
    h0 = `h0${ctx.suffix}`;
    b.inputs.push({ name: h0, elemType: ONNX_FLOAT, dims: [L * D, ctx.B, H] });
    if (hasC) {
      c0 = `c0${ctx.suffix}`;
      b.inputs.push({ name: c0, elemType: ONNX_FLOAT, dims: [L * D, ctx.B, H] });
    }
  }
  const opType = cell === "lstm" ? "LSTM" : cell === "gru" ? "GRU" : "RNN";
  let seq = batchFirst ? transpose(b, x, [1, 0, 2]) : x;
  const hNs: string[] = [];
  const cNs: string[] = [];
  for (let l = 0; l < L; l++) {
    const I = l === 0 ? layer.inputSize : D * H;
    const w = new Float32Array(D * G * I);
    const r = new Float32Array(D * G * H);
    const bias = new Float32Array(D * 2 * G);
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      w.set(permuteGateRows(cell, "pytorch", "onnx", param(layer, `weight_ih${sfx}`), G, I), d * G * I);
      r.set(permuteGateRows(cell, "pytorch", "onnx", param(layer, `weight_hh${sfx}`), G, H), d * G * H);
      if (layer.bias) {
        bias.set(permuteGateRows(cell, "pytorch", "onnx", param(layer, `bias_ih${sfx}`), G, 1), d * 2 * G);
        bias.set(permuteGateRows(cell, "pytorch", "onnx", recurrentBiasOrZeros(layer, sfx), G, 1), d * 2 * G + G);
      }
    }
    const inputs = [
      seq,
      floatInit(b, `${ctx.prefix}W_l${l}`, [D, G, I], w),
      floatInit(b, `${ctx.prefix}R_l${l}`, [D, G, H], r),
      layer.bias ? floatInit(b, `${ctx.prefix}B_l${l}`, [D, 2 * G], bias) : "",
      ctx.sequenceLens,
    ];
    const slice = (s: string): string => {
      if (s === "" || L === 1) return s;
      const out = fresh(b, `${s}_l${l}`);
      node(b, "Slice", [s, intsInit(b, "starts", [l * D]), intsInit(b, "ends", [(l + 1) * D]), intsInit(b, "axes", [0])], [out]);
      return out;
    };
    inputs.push(slice(h0));
    if (hasC) inputs.push(slice(c0));
    if (peephole) inputs.push(floatInit(b, `${ctx.prefix}P_l${l}`, [D, 3 * H], peepholeWeights(layer, l, D, H)));
    while (inputs.length > 0 && inputs[inputs.length - 1] === "") inputs.pop();
    const y = fresh(b, "Y");
    const yh = fresh(b, "Y_h");
    const outputs = [y, yh];
    if (hasC) outputs.push(fresh(b, "Y_c"));
    const attributes = [attr("hidden_size", H), attr("direction", D === 2 ? "bidirectional" : "forward")];
    if (cell === "gru") attributes.push(attr("linear_before_reset", resetBefore ? 0 : 1));
    if (activations !== null) {
      const perDirection = Array.from({ length: D }, () => activations).flat();
      attributes.push(attr("activations", perDirection.map((a) => a.name)));
      const alphas = perDirection.filter((a) => a.alpha !== undefined).map((a) => a.alpha!);
      const betas = perDirection.filter((a) => a.beta !== undefined).map((a) => a.beta!);
      if (alphas.length > 0) attributes.push(floatsAttr("activation_alpha", alphas));
      if (betas.length > 0) attributes.push(floatsAttr("activation_beta", betas));
    } else if (cell === "rnn_tanh" || cell === "rnn_relu") attributes.push(attr("activations", new Array<string>(D).fill(cell === "rnn_relu" ? "Relu" : "Tanh")));
    node(b, opType, inputs, outputs, attributes);
    hNs.push(yh);
    if (hasC) cNs.push(outputs[2]!);
    // Y is (T, D, B, H); the next layer and the output want (T, B, D·H).
    if (D === 1) {
      seq = fresh(b, "Y_seq");
      node(b, "Squeeze", [y, intsInit(b, "axes", [1])], [seq]);
    } else {
      const tbdh = transpose(b, y, [0, 2, 1, 3]);
      seq = fresh(b, "Y_seq");
      node(b, "Reshape", [tbdh, intsInit(b, "shape", [0, 0, -1])], [seq]);
    }
  }
  if (states) {
    const finish = (parts: string[], name: string): void => {
      if (parts.length === 1) node(b, "Identity", parts, [name]);
      else node(b, "Concat", parts, [name], [attr("axis", 0)]);
      b.outputs.push({ name, elemType: ONNX_FLOAT, dims: [L * D, ctx.B, H] });
    };
    finish(hNs, `hN${ctx.suffix}`);
    if (hasC) finish(cNs, `cN${ctx.suffix}`);
  }
  return batchFirst ? transpose(b, seq, [1, 0, 2]) : seq;
}

/**
 * ONNX's LSTM input P of one stacked layer, (D, 3H): per direction the peepholes in ONNX's order
 * i, o, f (weight_ci, weight_co, weight_cf). ONNX's LSTM applies them as the peephole_lstm cell
 * does: i and f on c(t-1), o on c(t).
 */
function peepholeWeights(layer: RNNBase, l: number, D: number, H: number): Float32Array {
  const p = new Float32Array(D * 3 * H);
  for (let d = 0; d < D; d++) {
    const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
    ["weight_ci", "weight_co", "weight_cf"].forEach((name, k) => p.set(param(layer, `${name}${sfx}`), (d * 3 + k) * H));
  }
  return p;
}

function recurrentLayers(model: Module): Module[] {
  return model instanceof Sequential ? model.layers() : [model];
}

/**
 * Exports `model` as an ONNX ModelProto (float32 weights as initializers). Inputs: `input`
 * ((T, B, I), or (B, T, I) batch-first; int64 ids (T, B) or (B, T) when the model starts with
 * an Embedding), then `sequence_lens` (int32 (B), with the option) and the initial states;
 * outputs: `output`, then the final states (see OnnxExportOptions.initialStates). Inputs must be
 * batched (3 dims; 2 for ids). Throws OnnxError naming any layer it cannot express.
 */
export function exportOnnx(model: Module, options: OnnxExportOptions = {}): Uint8Array {
  const opset = options.opset ?? 14;
  if (!Number.isInteger(opset) || opset < 14 || opset > 21) throw new OnnxError(`exportOnnx: opset must be an integer in [14, 21], got ${String(opset)}`);
  const dynamic = options.dynamicAxes ?? true;
  let T: number | string = "T";
  let B: number | string = "B";
  if (!dynamic) {
    const { timeSteps, batchSize } = options;
    if (!Number.isInteger(timeSteps) || !Number.isInteger(batchSize) || timeSteps === undefined || batchSize === undefined || timeSteps < 1 || batchSize < 1) {
      throw new OnnxError(`exportOnnx: dynamicAxes: false needs positive integer timeSteps and batchSize, got ${String(timeSteps)} and ${String(batchSize)}`);
    }
    T = timeSteps;
    B = batchSize;
  }
  const layers = recurrentLayers(model);
  const inSequential = model instanceof Sequential;
  const b: Builder = { nodes: [], initializers: [], inputs: [], outputs: [], counter: 0 };
  const first = layers.find((l) => !(l instanceof Dropout));
  if (first === undefined) throw new OnnxError(`exportOnnx: ${model.describe()} has no layer to export`);
  const firstRecurrent = layers.find((l): l is RNNBase => l instanceof RNNBase);
  const bf = options.batchFirst ?? firstRecurrent?.batchFirst ?? false;
  const lead = bf ? [B, T] : [T, B];
  if (first instanceof Embedding) b.inputs.push({ name: "input", elemType: ONNX_INT64, dims: lead });
  else if (first instanceof RNNBase) b.inputs.push({ name: "input", elemType: ONNX_FLOAT, dims: [...lead, first.inputSize] });
  else if (first instanceof Linear) b.inputs.push({ name: "input", elemType: ONNX_FLOAT, dims: [...lead, first.inFeatures] });
  let sequenceLens = "";
  if (options.sequenceLens === true) {
    if (firstRecurrent === undefined) throw new OnnxError(`exportOnnx: sequenceLens needs a recurrent layer in ${model.describe()}`);
    sequenceLens = "sequence_lens";
    b.inputs.push({ name: sequenceLens, elemType: ONNX_INT32, dims: [B] });
  }
  let x = "input";
  let width = 0;
  layers.forEach((layer, k) => {
    const prefix = inSequential ? `${k}.` : "";
    if (layer instanceof RNNBase) {
      x = emitRecurrent({ b, opts: options, T, B, suffix: inSequential ? `_${k}` : "", prefix, sequenceLens }, layer, x);
      width = layer.numDirections * (layer.projSize > 0 ? layer.projSize : layer.hiddenSize);
    } else if (layer instanceof Linear) {
      const wt = new Float32Array(layer.inFeatures * layer.outFeatures);
      const w = layer.weight.data;
      for (let o = 0; o < layer.outFeatures; o++) for (let i = 0; i < layer.inFeatures; i++) wt[i * layer.outFeatures + o] = w[o * layer.inFeatures + i]!;
      const y = fresh(b, "linear");
      node(b, "MatMul", [x, floatInit(b, `${prefix}weight_T`, [layer.inFeatures, layer.outFeatures], wt)], [y]);
      x = y;
      if (layer.bias !== null) {
        const z = fresh(b, "linear_bias");
        node(b, "Add", [x, floatInit(b, `${prefix}bias`, [layer.outFeatures], Float32Array.from(layer.bias.data))], [z]);
        x = z;
      }
      width = layer.outFeatures;
    } else if (layer instanceof Embedding) {
      if (x !== "input") throw new OnnxError(`exportOnnx: ${layer.describe()} is layer ${k}; an Embedding must come first, where the ids come in`);
      const y = fresh(b, "embedded");
      node(b, "Gather", [floatInit(b, `${prefix}weight`, [layer.opts.numEmbeddings, layer.opts.embeddingDim], Float32Array.from(layer.weight.data)), x], [y], [attr("axis", 0)]);
      x = y;
      width = layer.opts.embeddingDim;
    } else if (layer instanceof Dropout) {
      // Identity at inference.
    } else {
      throw new OnnxError(`exportOnnx: ${layer.describe()}${inSequential ? ` (layer ${k})` : ""} has no ONNX export; supported: RNN, LSTM, GRU, Linear, Embedding, Dropout`);
    }
  });
  node(b, "Identity", [x], ["output"]);
  b.outputs.unshift({ name: "output", elemType: ONNX_FLOAT, dims: [...lead, width] });
  return encodeOnnxModel({
    irVersion: opset <= 14 ? 7 : 8,
    producerName: "recurrent",
    opsetImports: [{ domain: "", version: opset }],
    graph: { name: "recurrent", nodes: b.nodes, initializers: b.initializers, inputs: b.inputs, outputs: b.outputs },
  });
}
