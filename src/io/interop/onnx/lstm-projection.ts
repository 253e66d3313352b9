/**
 * ONNX export of an LSTM with a projection (PyTorch's `proj_size`, `weight_hr_l<k>`), which ONNX's
 * LSTM operator cannot express. Each layer and direction is a `Scan` over time whose body is the
 * cell written in primitive ops, so the sequence length stays dynamic (an unrolled graph would
 * fix T). Symbols: T steps, B batch, I input, H hidden, P projection, G = 4H, L layers,
 * D directions. The body, in the code's own names (gate order i|f|g|o, PyTorch's):
 *
 *   gates = x_t · Wᵀ + h_prev · Rᵀ + b_ih + b_hh          (B, G)
 *   i, f, g, o = split(gates)                              (B, H) each
 *   c = σ(f) ⊙ c_prev + σ(i) ⊙ tanh(g)                     (B, H)
 *   h = (σ(o) ⊙ tanh(c)) · W_hrᵀ                          (B, P)
 *
 * A reverse direction scans its input backwards and writes its outputs backwards, so its output
 * at step t belongs to input step t, as in the fused layer. States: h0 (L·D, B, P) and
 * c0 (L·D, B, H) in, hN and cN out (or zeros built from B when initialStates is false).
 * `sequenceLens` is refused for these layers: the Scan body has no per-row length. The two biases
 * stay separate initializers (not their sum) so that importOnnx reads the layer back bit for bit;
 * scan-import.ts recognises exactly this body.
 */
import type { RNNBase } from "../../../nn/layers/rnn-base.js";
import { ATTR_GRAPH, ONNX_FLOAT, OnnxError, type OnnxAttribute } from "./proto.js";
import { recurrentBiasOrZeros } from "../recurrent-export.js";
import { attr, floatInit, fresh, intsInit, node, param, transpose, type Builder, type Context } from "./builder.js";

/** (rows, cols) row-major → (cols, rows): MatMul's right-hand side from PyTorch's layout and back. */
export function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

function op(b: Builder, opType: string, inputs: string[], attributes: OnnxAttribute[] = []): string {
  const y = fresh(b, opType.toLowerCase());
  node(b, opType, inputs, [y], attributes);
  return y;
}

function graphAttr(name: string, g: Builder, graphName: string): OnnxAttribute {
  return { name, type: ATTR_GRAPH, f: 0, i: 0, s: "", t: null, floats: [], ints: [], strings: [], g: { name: graphName, nodes: g.nodes, initializers: g.initializers, inputs: g.inputs, outputs: g.outputs } };
}

interface CellWeights {
  /** (I, G), (P, G), (G) or "", (G) or "", (H, P): initializer names. */
  wt: string;
  rt: string;
  biasIh: string;
  biasHh: string;
  hrt: string;
}

/** The Scan body of one direction: inputs (h_prev, c_prev, x_t), outputs (h, c, y_t). */
function body(parent: Builder, w: CellWeights, dims: { B: number | string; I: number; H: number; P: number }, opset: number): Builder {
  const g: Builder = { nodes: [], initializers: [], inputs: [], outputs: [], counter: parent.counter };
  const hp = fresh(g, "h_prev");
  const cp = fresh(g, "c_prev");
  const xt = fresh(g, "x_t");
  g.inputs.push({ name: hp, elemType: ONNX_FLOAT, dims: [dims.B, dims.P] }, { name: cp, elemType: ONNX_FLOAT, dims: [dims.B, dims.H] }, { name: xt, elemType: ONNX_FLOAT, dims: [dims.B, dims.I] });
  let gates = op(g, "Add", [op(g, "MatMul", [xt, w.wt]), op(g, "MatMul", [hp, w.rt])]);
  if (w.biasIh !== "") gates = op(g, "Add", [op(g, "Add", [gates, w.biasIh]), w.biasHh]);
  const parts = [fresh(g, "i"), fresh(g, "f"), fresh(g, "g"), fresh(g, "o")];
  // From opset 18 Split needs the number of outputs when no split sizes are given.
  node(g, "Split", [gates], parts, opset >= 18 ? [attr("axis", 1), attr("num_outputs", 4)] : [attr("axis", 1)]);
  const [i, f, gg, o] = parts as [string, string, string, string];
  const c = op(g, "Add", [op(g, "Mul", [op(g, "Sigmoid", [f]), cp]), op(g, "Mul", [op(g, "Sigmoid", [i]), op(g, "Tanh", [gg])])]);
  const h = op(g, "MatMul", [op(g, "Mul", [op(g, "Sigmoid", [o]), op(g, "Tanh", [c])]), w.hrt]);
  const y = op(g, "Identity", [h]);
  g.outputs.push({ name: h, elemType: ONNX_FLOAT, dims: [dims.B, dims.P] }, { name: c, elemType: ONNX_FLOAT, dims: [dims.B, dims.H] }, { name: y, elemType: ONNX_FLOAT, dims: [dims.B, dims.P] });
  parent.counter = g.counter;
  return g;
}

/** Emits an LSTM layer with projSize > 0 reading `x`; returns its (T, B, D·P) or (B, T, D·P) output. */
export function emitProjectedLstm(ctx: Context, layer: RNNBase, x: string): string {
  const { b, opts } = ctx;
  if (ctx.sequenceLens !== "") {
    throw new OnnxError(`exportOnnx: ${layer.describe()}: sequenceLens is not exported for an LSTM with projSize > 0 (its Scan body has no per-row length); pad and slice the outputs instead`);
  }
  const L = layer.numLayers;
  const D = layer.numDirections;
  const H = layer.hiddenSize;
  const P = layer.projSize;
  const G = 4 * H;
  const opset = opts.opset ?? 14;
  const batchFirst = opts.batchFirst ?? layer.batchFirst;
  const states = opts.initialStates ?? true;
  let seq = batchFirst ? transpose(b, x, [1, 0, 2]) : x;

  let initial: (k: number, width: number, which: "h" | "c") => string;
  if (states) {
    const h0 = `h0${ctx.suffix}`;
    const c0 = `c0${ctx.suffix}`;
    b.inputs.push({ name: h0, elemType: ONNX_FLOAT, dims: [L * D, ctx.B, P] }, { name: c0, elemType: ONNX_FLOAT, dims: [L * D, ctx.B, H] });
    initial = (k, _width, which) => op(b, "Squeeze", [op(b, "Gather", [which === "h" ? h0 : c0, intsInit(b, "state_index", [k])], [attr("axis", 0)]), intsInit(b, "axes", [0])]);
  } else {
    const batch = op(b, "Slice", [op(b, "Shape", [seq]), intsInit(b, "starts", [1]), intsInit(b, "ends", [2]), intsInit(b, "axes", [0])]);
    const zeros = new Map<number, string>();
    initial = (_k, width) => {
      const found = zeros.get(width);
      if (found !== undefined) return found;
      const z = op(b, "ConstantOfShape", [op(b, "Concat", [batch, intsInit(b, "width", [width])], [attr("axis", 0)])]);
      zeros.set(width, z);
      return z;
    };
  }

  const hNs: string[] = [];
  const cNs: string[] = [];
  for (let l = 0; l < L; l++) {
    const I = l === 0 ? layer.inputSize : D * P;
    const outs: string[] = [];
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      const name = (base: string): string => `${ctx.prefix}${base}${sfx}`;
      const biasIh = layer.bias ? floatInit(b, name("bias_ih"), [G], Float32Array.from(param(layer, `bias_ih${sfx}`))) : "";
      const biasHh = layer.bias ? floatInit(b, name("bias_hh"), [G], Float32Array.from(recurrentBiasOrZeros(layer, sfx))) : "";
      const weights: CellWeights = {
        wt: floatInit(b, name("weight_ih_T"), [I, G], transposed(param(layer, `weight_ih${sfx}`), G, I)),
        rt: floatInit(b, name("weight_hh_T"), [P, G], transposed(param(layer, `weight_hh${sfx}`), G, P)),
        biasIh,
        biasHh,
        hrt: floatInit(b, name("weight_hr_T"), [H, P], transposed(param(layer, `weight_hr${sfx}`), P, H)),
      };
      const k = l * D + d;
      const g = body(b, weights, { B: ctx.B, I, H, P }, opset);
      const hN = fresh(b, "Y_h");
      const cN = fresh(b, "Y_c");
      const y = fresh(b, "Y");
      node(b, "Scan", [initial(k, P, "h"), initial(k, H, "c"), seq], [hN, cN, y], [
        graphAttr("body", g, `lstm_projection${sfx}`),
        attr("num_scan_inputs", 1),
        attr("scan_input_directions", [d]),
        attr("scan_output_directions", [d]),
      ]);
      outs.push(y);
      hNs.push(op(b, "Unsqueeze", [hN, intsInit(b, "axes", [0])]));
      cNs.push(op(b, "Unsqueeze", [cN, intsInit(b, "axes", [0])]));
    }
    seq = D === 1 ? outs[0]! : op(b, "Concat", outs, [attr("axis", 2)]);
  }
  if (states) {
    for (const [parts, base, width] of [[hNs, "hN", P], [cNs, "cN", H]] as const) {
      const out = `${base}${ctx.suffix}`;
      node(b, parts.length === 1 ? "Identity" : "Concat", [...parts], [out], parts.length === 1 ? [] : [attr("axis", 0)]);
      b.outputs.push({ name: out, elemType: ONNX_FLOAT, dims: [L * D, ctx.B, width] });
    }
  }
  return batchFirst ? transpose(b, seq, [1, 0, 2]) : seq;
}
