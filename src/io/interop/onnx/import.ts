/**
 * ONNX import of recurrent models: the graphs that PyTorch's exporter (torch.onnx.export, opset
 * 14) writes for nn.LSTM / nn.GRU / nn.RNN with nn.Linear and nn.Embedding, and the graphs that
 * exportOnnx writes, mapped back onto the library's layers.
 *
 * How a graph is read: LSTM/GRU/RNN nodes become recurrent layers, MatMul or Gemm with a constant
 * weight (and an Add of a constant bias) a Linear, Gather from a constant float matrix an
 * Embedding. The other accepted ops (Transpose, Reshape, Squeeze, Unsqueeze, Concat, Slice,
 * Gather, Shape, ConstantOfShape, Constant, Identity, Cast, Expand) are the layout and
 * shape glue the exporters put around them (state slicing, zero initial states, the (T, D, B, H)
 * to (T, B, D·H) reshape). The layers must form one chain from the graph's first input to its
 * first output; a batch-first layer is recognised by its (1, 0, 2) Transposes. Consecutive
 * recurrent nodes of one kind joined only by the reshape glue (PyTorch's num_layers) become one
 * stacked layer. Weights are converted from ONNX's gate order by gate-order.ts.
 *
 * Also read: LSTM/GRU/RNN `activations` that the library's cells run (see activations.ts), onto
 * the layers' `recurrentActivation` / `activation`; GRU with linear_before_reset = 0 as the
 * gru_reset_before cell; an LSTM with the peephole input P as a PeepholeLSTM (ONNX's peephole
 * equations are the peephole_lstm cell's); the Scan graphs exportOnnx writes for an LSTM with
 * projSize (scan-import.ts), as that LSTM.
 *
 * Not representable, and refused with the reason: LSTM input_forget, "reverse"-only layers, clip,
 * activations no cell runs or that differ between directions (or LSTM's g and h), peepholes with
 * other activations than sigmoid and tanh, other Scan bodies, any other op.
 */
import type { Layer, Module } from "../../../nn/module.js";
import { RNN, GRU, LSTM, PeepholeLSTM, RecurrentLayer } from "../../../nn/layers/rnn.js";
import type { RNNBaseOptions } from "../../../nn/layers/rnn-base.js";
import type { CellName } from "../../../nn/cells/spec.js";
import type { ActivationName } from "../../../nn/activations.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Sequential } from "../../../models/sequential.js";
import { permuteGateRows, type GateCell } from "../gate-order.js";
import { readOnnxActivations } from "./activations.js";
import { readProjectedScan } from "./scan-import.js";
import { transposed } from "./lstm-projection.js";
import { ATTR_TENSOR, ONNX_FLOAT, OnnxError, decodeOnnxModel, type OnnxAttribute, type OnnxDecodeOptions, type OnnxNode, type OnnxTensor } from "./proto.js";

/** The ops that only move or shape data around the layers. */
const GLUE_OPS: ReadonlySet<string> = new Set([
  "Transpose",
  "Reshape",
  "Squeeze",
  "Unsqueeze",
  "Concat",
  "Slice",
  "Gather",
  "Shape",
  "ConstantOfShape",
  "Constant",
  "Identity",
  "Cast",
  "Expand",
]);

const RECURRENT_OPS: ReadonlySet<string> = new Set(["LSTM", "GRU", "RNN"]);

/** Options of importOnnx. */
export type OnnxImportOptions = OnnxDecodeOptions;

interface RecurrentPart {
  kind: "recurrent";
  node: OnnxNode;
  /** lstm, peephole_lstm, gru, gru_reset_before, rnn_tanh or rnn_relu. */
  cell: CellName;
  /** The gate and candidate nonlinearities when the node names them (RNN: candidate only), else null. */
  gate: ActivationName | null;
  candidate: ActivationName | null;
  D: number;
  H: number;
  /** Projection width (a Scan-exported LSTM with projSize), 0 for none. */
  P: number;
  I: number;
  bias: boolean;
  batchFirst: boolean;
  /** The value the layer reads its sequence from. */
  dataInput: string;
  /** The nodes of the last stacked layer: its (forward) node and, for a bidirectional Scan pair, the reverse one. */
  tail: { node: OnnxNode; reverse: OnnxNode | null };
  /** Per stacked layer and direction: the PyTorch-layout parameters by base name (weight_ih, bias_hh, weight_ci, ...). */
  layers: Record<string, Float32Array>[][];
}

interface LinearPart {
  kind: "linear";
  node: OnnxNode;
  /** (out, in), PyTorch's layout. */
  weight: Float32Array;
  inF: number;
  outF: number;
  bias: Float32Array | null;
}

interface EmbeddingPart {
  kind: "embedding";
  node: OnnxNode;
  weight: OnnxTensor;
}

type Part = RecurrentPart | LinearPart | EmbeddingPart;

function attrOf(n: OnnxNode, name: string): OnnxAttribute | undefined {
  return n.attributes.find((a) => a.name === name);
}

function nodeLabel(n: OnnxNode, k: number): string {
  return `node ${k} (${n.opType}${n.name !== "" ? ` "${n.name.slice(0, 80)}"` : ""})`;
}

function floatTensor(t: OnnxTensor | undefined, where: string, what: string, rank: number): OnnxTensor & { floats: Float32Array } {
  if (t === undefined) throw new OnnxError(`${where}: ${what} must be a constant (an initializer), but it is computed in the graph`);
  if (t.dataType !== ONNX_FLOAT || t.floats === null) throw new OnnxError(`${where}: ${what} must be float32, got data type ${t.dataType}`);
  if (t.dims.length !== rank) throw new OnnxError(`${where}: ${what} must have ${rank} dims, got [${t.dims.join(", ")}]`);
  return { ...t, floats: t.floats };
}

function sameDims(t: OnnxTensor, want: number[]): boolean {
  return t.dims.length === want.length && t.dims.every((d, i) => d === want[i]);
}

/** The gate layout of each cell the importer builds (peephole_lstm and gru_reset_before have LSTM's and GRU's rows). */
const GATE_CELL: Readonly<Record<string, GateCell>> = { lstm: "lstm", peephole_lstm: "lstm", gru: "gru", gru_reset_before: "gru", rnn_tanh: "rnn_tanh", rnn_relu: "rnn_relu" };

/** The cell, gate and candidate nonlinearities of an LSTM/GRU/RNN node from its attributes and inputs. */
function readCell(n: OnnxNode, where: string, D: number): { cell: CellName; gate: ActivationName | null; candidate: ActivationName | null } {
  if (n.opType === "LSTM") {
    if ((attrOf(n, "input_forget")?.i ?? 0) !== 0) throw new OnnxError(`${where}: input_forget = 1 (coupled input and forget gates) has no equivalent layer`);
    const acts = readOnnxActivations(n, where, 3, D);
    if (acts !== null && acts[1] !== acts[2]) throw new OnnxError(`${where}: attribute activations has g = ${acts[1]} and h = ${acts[2]}; the library's LSTM uses one candidate nonlinearity for both`);
    if ((n.inputs[7] ?? "") !== "") {
      if (acts !== null && (acts[0] !== "sigmoid" || acts[1] !== "tanh")) throw new OnnxError(`${where}: attribute activations [${acts.join(", ")}] with peepholes (input P): the peephole LSTM runs sigmoid and tanh only`);
      return { cell: "peephole_lstm", gate: null, candidate: null };
    }
    return { cell: "lstm", gate: acts?.[0] ?? null, candidate: acts?.[1] ?? null };
  }
  if (n.opType === "GRU") {
    const acts = readOnnxActivations(n, where, 2, D);
    const lbr = attrOf(n, "linear_before_reset")?.i ?? 0;
    if (lbr !== 0 && lbr !== 1) throw new OnnxError(`${where}: attribute linear_before_reset must be 0 or 1, got ${lbr}`);
    return { cell: lbr === 1 ? "gru" : "gru_reset_before", gate: acts?.[0] ?? null, candidate: acts?.[1] ?? null };
  }
  const acts = readOnnxActivations(n, where, 1, D);
  const h = acts?.[0] ?? "tanh";
  return { cell: h === "relu" ? "rnn_relu" : "rnn_tanh", gate: null, candidate: h === "tanh" || h === "relu" ? null : h };
}

function readRecurrent(n: OnnxNode, where: string, consts: Map<string, OnnxTensor>): RecurrentPart {
  const gates = n.opType === "LSTM" ? 4 : n.opType === "GRU" ? 3 : 1;
  const hs = attrOf(n, "hidden_size");
  if (hs === undefined || hs.i < 1) throw new OnnxError(`${where}: hidden_size must be a positive integer attribute`);
  const H = hs.i;
  const direction = attrOf(n, "direction")?.s ?? "forward";
  if (direction !== "forward" && direction !== "bidirectional") {
    throw new OnnxError(`${where}: direction "${direction.slice(0, 40)}" has no equivalent layer; only "forward" and "bidirectional" import`);
  }
  const D = direction === "bidirectional" ? 2 : 1;
  if (attrOf(n, "clip") !== undefined) throw new OnnxError(`${where}: the clip attribute (cell clipping) has no equivalent in the library's layers`);
  if ((attrOf(n, "layout")?.i ?? 0) !== 0) throw new OnnxError(`${where}: layout = 1 is not supported; export with layout 0 (batch-first via Transpose)`);
  const { cell, gate, candidate } = readCell(n, where, D);
  const G = gates * H;
  const W = floatTensor(consts.get(n.inputs[1] ?? ""), where, "W (input 1)", 3);
  const R = floatTensor(consts.get(n.inputs[2] ?? ""), where, "R (input 2)", 3);
  const I = W.dims[2]!;
  if (!sameDims(W, [D, G, I]) || I < 1) throw new OnnxError(`${where}: W must be (${D}, ${G}, I), got [${W.dims.join(", ")}]`);
  if (!sameDims(R, [D, G, H])) throw new OnnxError(`${where}: R must be (${D}, ${G}, ${H}), got [${R.dims.join(", ")}]`);
  let B: (OnnxTensor & { floats: Float32Array }) | null = null;
  if ((n.inputs[3] ?? "") !== "") {
    B = floatTensor(consts.get(n.inputs[3]!), where, "B (input 3)", 2);
    if (!sameDims(B, [D, 2 * G])) throw new OnnxError(`${where}: B must be (${D}, ${2 * G}), got [${B.dims.join(", ")}]`);
  }
  let Pt: (OnnxTensor & { floats: Float32Array }) | null = null;
  if (cell === "peephole_lstm") {
    Pt = floatTensor(consts.get(n.inputs[7]!), where, "P (input 7, the peepholes)", 2);
    if (!sameDims(Pt, [D, 3 * H])) throw new OnnxError(`${where}: P must be (${D}, ${3 * H}), got [${Pt.dims.join(", ")}]`);
  }
  const g = GATE_CELL[cell]!;
  const directions: Record<string, Float32Array>[] = [];
  for (let d = 0; d < D; d++) {
    const params: Record<string, Float32Array> = {
      weight_ih: permuteGateRows(g, "onnx", "pytorch", W.floats.subarray(d * G * I, (d + 1) * G * I), G, I),
      weight_hh: permuteGateRows(g, "onnx", "pytorch", R.floats.subarray(d * G * H, (d + 1) * G * H), G, H),
    };
    if (B !== null) {
      const b = B.floats.subarray(d * 2 * G, (d + 1) * 2 * G);
      params["bias_ih"] = permuteGateRows(g, "onnx", "pytorch", b.subarray(0, G), G, 1);
      params["bias_hh"] = permuteGateRows(g, "onnx", "pytorch", b.subarray(G), G, 1);
    }
    if (Pt !== null) {
      // ONNX's order is i, o, f.
      const p = Pt.floats.subarray(d * 3 * H, (d + 1) * 3 * H);
      params["weight_ci"] = p.slice(0, H);
      params["weight_co"] = p.slice(H, 2 * H);
      params["weight_cf"] = p.slice(2 * H, 3 * H);
    }
    directions.push(params);
  }
  return { kind: "recurrent", node: n, cell, gate, candidate, D, H, P: 0, I, bias: B !== null, batchFirst: false, dataInput: n.inputs[0] ?? "", tail: { node: n, reverse: null }, layers: [directions] };
}

/** A Scan node: a new forward projected layer, or the reverse direction joining the forward Scan that reads the same input. */
function readScan(n: OnnxNode, where: string, consts: Map<string, OnnxTensor>, opset: number, parts: Map<OnnxNode, Part>): RecurrentPart {
  if (opset < 9) throw new OnnxError(`${where}: Scan is read from opset 9 (the model's is ${opset})`);
  const s = readProjectedScan(n, where, consts);
  const dataInput = n.inputs[2]!;
  if (s.direction === 0) {
    return { kind: "recurrent", node: n, cell: "lstm", gate: null, candidate: null, D: 1, H: s.H, P: s.P, I: s.I, bias: s.bias, batchFirst: false, dataInput, tail: { node: n, reverse: null }, layers: [[s.params]] };
  }
  const partner = [...parts.values()].find((p): p is RecurrentPart => p.kind === "recurrent" && p.P > 0 && p.D === 1 && p.layers.length === 1 && p.dataInput === dataInput);
  if (partner === undefined) throw new OnnxError(`${where}: a reverse Scan needs the forward Scan over the same input before it; a reverse-only layer has no equivalent`);
  if (partner.I !== s.I || partner.H !== s.H || partner.P !== s.P || partner.bias !== s.bias) {
    throw new OnnxError(`${where}: the reverse Scan's sizes (I ${s.I}, H ${s.H}, P ${s.P}, bias ${s.bias}) differ from its forward Scan's (I ${partner.I}, H ${partner.H}, P ${partner.P}, bias ${partner.bias})`);
  }
  partner.D = 2;
  partner.layers[0]!.push(s.params);
  partner.tail.reverse = n;
  return partner;
}

function setParam(layer: Module, name: string, values: Float32Array): void {
  const p = layer.stateDict()[name];
  if (p === undefined || p.data.length !== values.length) throw new OnnxError(`importOnnx: ${layer.describe()} has no parameter ${name} of ${values.length} values`);
  p.data.set(values);
}

function buildRecurrent(p: RecurrentPart): RNN | GRU | LSTM | PeepholeLSTM | RecurrentLayer {
  const config: RNNBaseOptions = { inputSize: p.I, hiddenSize: p.H, numLayers: p.layers.length, bias: p.bias, batchFirst: p.batchFirst, bidirectional: p.D === 2 };
  if (p.gate !== null) config.recurrentActivation = p.gate;
  if (p.candidate !== null) config.activation = p.candidate;
  let layer: RNN | GRU | LSTM | PeepholeLSTM | RecurrentLayer;
  if (p.cell === "lstm") layer = new LSTM(p.P > 0 ? { ...config, projSize: p.P } : config);
  else if (p.cell === "peephole_lstm") layer = new PeepholeLSTM(config);
  else if (p.cell === "gru") layer = new GRU(config);
  else if (p.cell === "gru_reset_before") layer = new RecurrentLayer({ ...config, cell: "gru_reset_before" });
  else layer = p.candidate !== null ? new RNN(config) : new RNN({ ...config, nonlinearity: p.cell === "rnn_relu" ? "relu" : "tanh" });
  p.layers.forEach((directions, l) => {
    directions.forEach((params, d) => {
      for (const [base, values] of Object.entries(params)) setParam(layer, `${base}_l${l}${d === 1 ? "_reverse" : ""}`, values);
    });
  });
  return layer;
}

/**
 * Reads an ONNX model (ModelProto bytes) made of the ops above and returns the equivalent
 * module: the recurrent layer itself when the graph is one RNN/LSTM/GRU layer, else a Sequential
 * (e.g. Embedding, LSTM, Linear). Weights are copied; the file's initial-state inputs and
 * sequence_lens are not part of the module (pass states to `forward`). Throws OnnxError for a
 * malformed file (see proto.ts for the limits, `maxBytes` default 2 GiB) or a graph it cannot
 * express, naming the node.
 */
export function importOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): Module {
  const model = decodeOnnxModel(bytes, options);
  const g = model.graph;
  const opset = model.opsetImports.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version ?? 0;
  if (opset < 7 || opset > 21) throw new OnnxError(`importOnnx: the model's ONNX opset is ${opset}; opsets 7 to 21 are read`);
  const consts = new Map<string, OnnxTensor>();
  for (const t of g.initializers) consts.set(t.name, t);
  const producer = new Map<string, [OnnxNode, number, number]>(); // output name -> [node, node index, output index]
  const indexOf = new Map<OnnxNode, number>();
  const parts = new Map<OnnxNode, Part>();
  const linearOf = new Map<string, LinearPart>(); // MatMul output -> its Linear, for the bias Add
  g.nodes.forEach((n, k) => {
    const where = `importOnnx: ${nodeLabel(n, k)}`;
    if (n.domain !== "" && n.domain !== "ai.onnx") throw new OnnxError(`${where}: operator domain "${n.domain.slice(0, 60)}" is not supported`);
    n.outputs.forEach((o, i) => producer.set(o, [n, k, i]));
    indexOf.set(n, k);
    if (n.opType === "Constant") {
      const v = attrOf(n, "value");
      if (v !== undefined && v.type === ATTR_TENSOR && v.t !== null && n.outputs[0] !== undefined) consts.set(n.outputs[0], v.t);
    } else if (RECURRENT_OPS.has(n.opType)) parts.set(n, readRecurrent(n, where, consts));
    else if (n.opType === "Scan") parts.set(n, readScan(n, where, consts, opset, parts));
    else if (n.opType === "Gather" && consts.get(n.inputs[0] ?? "")?.dataType === ONNX_FLOAT && (n.inputs[1] ?? "") !== "" && !consts.has(n.inputs[1] ?? "")) {
      if ((attrOf(n, "axis")?.i ?? 0) !== 0) throw new OnnxError(`${where}: an embedding lookup must gather on axis 0`);
      const weight = floatTensor(consts.get(n.inputs[0]!), where, "the embedding table (input 0)", 2);
      if (weight.dims[0]! < 1 || weight.dims[1]! < 1) throw new OnnxError(`${where}: the embedding table [${weight.dims.join(", ")}] is empty`);
      parts.set(n, { kind: "embedding", node: n, weight });
    } else if (n.opType === "MatMul" || n.opType === "Gemm") {
      const w = floatTensor(consts.get(n.inputs[1] ?? ""), where, "the weight (input 1)", 2);
      const [r, c] = [w.dims[0]!, w.dims[1]!];
      if (r < 1 || c < 1) throw new OnnxError(`${where}: the weight [${w.dims.join(", ")}] is empty`);
      let weight: Float32Array;
      let bias: Float32Array | null = null;
      if (n.opType === "Gemm") {
        if ((attrOf(n, "transA")?.i ?? 0) !== 0 || (attrOf(n, "alpha")?.f ?? 1) !== 1 || (attrOf(n, "beta")?.f ?? 1) !== 1) throw new OnnxError(`${where}: only Gemm with transA = 0, alpha = beta = 1 is a Linear`);
        const transB = (attrOf(n, "transB")?.i ?? 0) === 1;
        weight = transB ? w.floats : transposed(w.floats, r, c);
        if ((n.inputs[2] ?? "") !== "") {
          const b = floatTensor(consts.get(n.inputs[2]!), where, "the bias (input 2)", 1);
          if (b.dims[0] !== (transB ? r : c)) throw new OnnxError(`${where}: the bias has ${b.dims[0]} values for ${transB ? r : c} outputs`);
          bias = b.floats;
        }
      } else weight = transposed(w.floats, r, c);
      const [outF, inF] = n.opType === "Gemm" && (attrOf(n, "transB")?.i ?? 0) === 1 ? [r, c] : [c, r];
      const part: LinearPart = { kind: "linear", node: n, weight, inF, outF, bias };
      parts.set(n, part);
      if (n.outputs[0] !== undefined) linearOf.set(n.outputs[0], part);
    } else if (n.opType === "Add") {
      const [a, b] = [n.inputs[0] ?? "", n.inputs[1] ?? ""];
      const lin = linearOf.get(a) ?? linearOf.get(b);
      const c = consts.get(linearOf.has(a) ? b : a);
      if (lin === undefined || lin.bias !== null || c === undefined) throw new OnnxError(`${where}: an Add is only read as the bias of a preceding MatMul (nn.Linear)`);
      const bias = floatTensor(c, where, "the bias", 1);
      if (bias.dims[0] !== lin.outF) throw new OnnxError(`${where}: the bias has ${bias.dims[0]} values for ${lin.outF} outputs`);
      lin.bias = bias.floats;
      if (n.outputs[0] !== undefined) linearOf.set(n.outputs[0], lin);
    } else if (!GLUE_OPS.has(n.opType)) {
      throw new OnnxError(`${where}: op ${n.opType.slice(0, 60)} is not one of the ops that recurrent models export to (LSTM, GRU, RNN, Scan, MatMul, Gemm, Add, ${[...GLUE_OPS].join(", ")})`);
    }
  });

  const inputName = g.inputs.find((v) => !consts.has(v.name))?.name;
  const outputName = g.outputs[0]?.name;
  if (inputName === undefined || outputName === undefined) throw new OnnxError("importOnnx: the graph needs an input and an output");

  /** Whether output `out` of node `n` (a node of `part`) is the layer's output sequence rather than a final state or one direction. */
  const isSequence = (part: Part, n: OnnxNode, out: number): boolean => {
    if (part.kind !== "recurrent") return out === 0;
    return n === part.tail.node && out === (part.P > 0 ? 2 : 0) && !(part.P > 0 && part.D === 2);
  };
  /** The bidirectional projected layer whose two Scan sequences `n` concatenates on the feature axis, if it is one. */
  const scanPair = (n: OnnxNode): Part | undefined => {
    if (n.opType !== "Concat" || n.inputs.length !== 2 || ![2, -1].includes(attrOf(n, "axis")?.i ?? 0)) return undefined;
    const [a, b] = [producer.get(n.inputs[0]!), producer.get(n.inputs[1]!)];
    const part = a === undefined ? undefined : parts.get(a[0]);
    if (part?.kind !== "recurrent" || part.P === 0 || part.D !== 2 || b === undefined) return undefined;
    return a![0] === part.tail.node && a![2] === 2 && b[0] === part.tail.reverse && b[2] === 2 ? part : undefined;
  };
  /** Follows `name` back through glue to a layer node or the graph input, counting (1, 0, 2) Transposes. */
  const trace = (name: string | undefined, where: string): { part: Part | null; sequence: boolean; swaps: number } => {
    if (name === undefined || name === "") throw new OnnxError(`${where}: its data input is missing`);
    let swaps = 0;
    let cur = name;
    for (let steps = 0; steps <= g.nodes.length; steps++) {
      if (cur === inputName) return { part: null, sequence: true, swaps };
      const p = producer.get(cur);
      if (p === undefined) throw new OnnxError(`${where}: value "${cur.slice(0, 80)}" comes from neither a node nor the graph's input`);
      const [n, , out] = p;
      const part = parts.get(n);
      if (part !== undefined) return { part, sequence: isSequence(part, n, out), swaps };
      const lin = linearOf.get(cur);
      if (lin !== undefined) return { part: lin, sequence: true, swaps };
      const pair = scanPair(n);
      if (pair !== undefined) return { part: pair, sequence: true, swaps };
      if (n.opType === "Transpose") {
        const perm = attrOf(n, "perm")?.ints ?? [];
        if (perm.join(",") === "1,0,2") swaps += 1;
      }
      const next = n.inputs.find((i) => i !== "" && !consts.has(i));
      if (next === undefined) throw new OnnxError(`${where}: value "${cur.slice(0, 80)}" does not depend on the graph's input`);
      cur = next;
    }
    throw new OnnxError(`${where}: the graph has a cycle`);
  };

  // The layer nodes in graph order must form one chain from the input to the output (a
  // bidirectional Scan pair is one layer, so its second node is not a new link).
  const chain = [...new Set(g.nodes.map((n) => parts.get(n)).filter((p): p is Part => p !== undefined))];
  if (chain.length === 0) throw new OnnxError("importOnnx: the graph has no LSTM, GRU, RNN, Scan, MatMul/Gemm or embedding Gather node");
  const width = (p: RecurrentPart): number => p.D * (p.P > 0 ? p.P : p.H);
  const merged: Part[] = [];
  let pending = 0; // Transposes owed by the last batch-first layer to restore the caller's layout
  chain.forEach((part, k) => {
    const where = `importOnnx: ${nodeLabel(part.node, indexOf.get(part.node) ?? -1)}`;
    const dataInput = part.kind === "embedding" ? part.node.inputs[1] : part.kind === "recurrent" ? part.dataInput : part.node.inputs[0];
    const t = trace(dataInput, where);
    const prev = k === 0 ? null : merged[merged.length - 1]!;
    if (t.part !== prev) throw new OnnxError(`${where}: its input does not come from the ${prev === null ? "graph's input" : "previous layer"}; only a chain of layers imports`);
    if (!t.sequence) throw new OnnxError(`${where}: its input is a final state or a single direction of the previous layer, not its output sequence`);
    if (part.kind === "embedding" && k !== 0) throw new OnnxError(`${where}: an embedding lookup must be the first layer`);
    if (part.kind === "recurrent") {
      const bf = (((t.swaps - pending) % 2) + 2) % 2 === 1;
      const last = merged[merged.length - 1];
      if (
        last !== undefined && last.kind === "recurrent" && t.part === last && t.swaps === 0 && last.cell === part.cell && last.gate === part.gate && last.candidate === part.candidate &&
        last.D === part.D && last.H === part.H && last.P === part.P && last.bias === part.bias && part.I === width(last)
      ) {
        last.layers.push(...part.layers);
        last.tail = part.tail;
        for (const n of [part.tail.node, part.tail.reverse]) if (n !== null) parts.set(n, last);
        return;
      }
      part.batchFirst = bf;
      pending = bf ? 1 : 0;
      merged.push(part);
    } else {
      if (t.swaps % 2 !== pending % 2) throw new OnnxError(`${where}: a Transpose of the time and batch axes before this layer has no equivalent in the library's layers`);
      pending = 0;
      merged.push(part);
    }
  });
  const end = trace(outputName, `importOnnx: graph output "${outputName.slice(0, 80)}"`);
  if (end.part !== merged[merged.length - 1] || !end.sequence) throw new OnnxError(`importOnnx: the graph's first output "${outputName.slice(0, 80)}" is not the last layer's output sequence`);
  if (end.swaps % 2 !== pending % 2) throw new OnnxError("importOnnx: a Transpose of the time and batch axes after the last layer has no equivalent in the library's layers");

  const modules: Layer[] = merged.map((p) => {
    if (p.kind === "recurrent") return buildRecurrent(p);
    if (p.kind === "linear") {
      const layer = new Linear({ inFeatures: p.inF, outFeatures: p.outF, bias: p.bias !== null });
      setParam(layer, "weight", p.weight);
      if (p.bias !== null) setParam(layer, "bias", p.bias);
      return layer;
    }
    const layer = new Embedding({ numEmbeddings: p.weight.dims[0]!, embeddingDim: p.weight.dims[1]! });
    setParam(layer, "weight", p.weight.floats!);
    return layer;
  });
  for (let k = 1; k < merged.length; k++) {
    const a = merged[k - 1]!;
    const b = merged[k]!;
    const outWidth = a.kind === "recurrent" ? width(a) : a.kind === "linear" ? a.outF : a.weight.dims[1]!;
    const inWidth = b.kind === "recurrent" ? b.I : b.kind === "linear" ? b.inF : -1;
    if (outWidth !== inWidth) throw new OnnxError(`importOnnx: layer ${k - 1} gives ${outWidth} features but layer ${k} reads ${inWidth}`);
  }
  if (modules.length === 1 && modules[0] instanceof RNNBase) return modules[0];
  return new Sequential(modules);
}
