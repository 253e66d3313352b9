/**
 * The one map of gate orders between formats. Inside the library every cell keeps PyTorch's
 * order; importers and exporters convert weights and biases here and nowhere else.
 *
 *   cell      PyTorch     Keras       ONNX
 *   lstm      i|f|g|o     i|f|c|o     i|o|f|c
 *   gru       r|z|n       z|r|h       z|r|h
 *   rnn_*     h           h           h
 *
 * The formats name the same gates differently (PyTorch's candidate `g` is Keras' and ONNX's `c`,
 * GRU's `n` is their `h`), so the table lists each format's order in PyTorch's letters.
 * PyTorch and ONNX keep gates as row blocks of (G, ·) matrices; Keras kernels are (·, G) with
 * gates as column blocks. G = gates·H.
 *
 * GRU: PyTorch's GRU is ONNX's GRU with `linear_before_reset = 1` (Keras `reset_after = true`),
 * and ONNX stores both biases in one vector `B = [Wb, Rb]` (D, 2·G): permute each half alone.
 */

/** A weight-file format whose gate order this map knows. */
export type GateFormat = "pytorch" | "keras" | "onnx";

/** A cell whose gate order differs between formats (or, for the Elman cells, does not). */
export type GateCell = "lstm" | "gru" | "rnn_tanh" | "rnn_relu";

/** The formats, in the order the table lists them. */
export const GATE_FORMATS: readonly GateFormat[] = ["pytorch", "keras", "onnx"];

/** Each cell's gates in each format's order, named with PyTorch's letters. */
export const GATE_ORDERS: Readonly<Record<GateCell, Readonly<Record<GateFormat, readonly string[]>>>> = {
  lstm: { pytorch: ["i", "f", "g", "o"], keras: ["i", "f", "g", "o"], onnx: ["i", "o", "f", "g"] },
  gru: { pytorch: ["r", "z", "n"], keras: ["z", "r", "n"], onnx: ["z", "r", "n"] },
  rnn_tanh: { pytorch: ["h"], keras: ["h"], onnx: ["h"] },
  rnn_relu: { pytorch: ["h"], keras: ["h"], onnx: ["h"] },
};

/** Each format's own letters for the gates, as its documentation writes the order. */
export const GATE_LABELS: Readonly<Record<GateCell, Readonly<Record<GateFormat, string>>>> = {
  lstm: { pytorch: "i|f|g|o", keras: "i|f|c|o", onnx: "i|o|f|c" },
  gru: { pytorch: "r|z|n", keras: "z|r|h", onnx: "z|r|h" },
  rnn_tanh: { pytorch: "h", keras: "h", onnx: "h" },
  rnn_relu: { pytorch: "h", keras: "h", onnx: "h" },
};

/** True when `name` is a cell of the map. */
export function isGateCell(name: string): name is GateCell {
  return Object.prototype.hasOwnProperty.call(GATE_ORDERS, name);
}

/**
 * perm[k] = the position in `from` of the gate that `to` has at position k, so that block k of
 * the converted array is block perm[k] of the original.
 */
export function gatePermutation(cell: GateCell, from: GateFormat, to: GateFormat): number[] {
  const src = GATE_ORDERS[cell][from];
  return GATE_ORDERS[cell][to].map((g) => src.indexOf(g));
}

function checkBlocks(where: string, cell: GateCell, data: Float32Array, gateDim: number, otherDim: number, dimName: string): number {
  const gates = GATE_ORDERS[cell].pytorch.length;
  if (!Number.isInteger(gateDim) || !Number.isInteger(otherDim) || gateDim < 0 || otherDim < 0) {
    throw new Error(`${where}: sizes must be non-negative integers, got ${gateDim} x ${otherDim}`);
  }
  if (gateDim % gates !== 0) throw new Error(`${where}: ${dimName} = ${gateDim} must be a multiple of the ${cell} cell's ${gates} gates`);
  if (data.length !== gateDim * otherDim) throw new Error(`${where}: data has ${data.length} values but the shape needs ${gateDim} x ${otherDim} = ${gateDim * otherDim}`);
  return gateDim / gates;
}

/**
 * Reorders the gate row blocks of a (G, cols) row-major array (PyTorch/ONNX weights; a bias is
 * cols = 1) from one format's order to another's. Returns a new array; `data` is not changed.
 */
export function permuteGateRows(cell: GateCell, from: GateFormat, to: GateFormat, data: Float32Array, rows: number, cols: number): Float32Array {
  const H = checkBlocks("permuteGateRows", cell, data, rows, cols, "rows");
  const perm = gatePermutation(cell, from, to);
  const out = new Float32Array(data.length);
  const block = H * cols;
  perm.forEach((src, k) => out.set(data.subarray(src * block, (src + 1) * block), k * block));
  return out;
}

/**
 * Reorders the gate column blocks of a (rows, G) row-major array (Keras kernels) from one
 * format's order to another's. Returns a new array; `data` is not changed.
 */
export function permuteGateColumns(cell: GateCell, from: GateFormat, to: GateFormat, data: Float32Array, rows: number, cols: number): Float32Array {
  const H = checkBlocks("permuteGateColumns", cell, data, cols, rows, "columns");
  const perm = gatePermutation(cell, from, to);
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    perm.forEach((src, k) => out.set(data.subarray(row + src * H, row + (src + 1) * H), row + k * H));
  }
  return out;
}

/**
 * The cells whose weights convert to and from Keras's layout: the map's cells plus
 * "gru_reset_before" (Keras's `reset_after = false` GRU), whose gates are GRU's, r|z|n inside and
 * z|r|h in Keras. It is not one of GateCell because ONNX export reads GateCell as "has an ONNX
 * operator of this layout".
 */
export type KerasCell = GateCell | "gru_reset_before";

function orderCell(cell: KerasCell): GateCell {
  return cell === "gru_reset_before" ? "gru" : cell;
}

/** Row-major (rows, cols) to (cols, rows). */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * A Keras kernel (rows, G), gates as column blocks in Keras order (`kernel` rows = I,
 * `recurrent_kernel` rows = H), as a PyTorch weight (G, rows) in PyTorch order.
 */
export function kerasKernelToPytorch(cell: KerasCell, data: Float32Array, rows: number, G: number): Float32Array {
  if (data.length !== rows * G) throw new Error(`kerasKernelToPytorch: data has ${data.length} values but the shape needs ${rows} x ${G} = ${rows * G}`);
  return transpose2d(permuteGateColumns(orderCell(cell), "keras", "pytorch", data, rows, G), rows, G);
}

/** A PyTorch weight (G, cols) as a Keras kernel (cols, G) in Keras gate order: the inverse of kerasKernelToPytorch. */
export function pytorchWeightToKeras(cell: KerasCell, data: Float32Array, G: number, cols: number): Float32Array {
  if (data.length !== G * cols) throw new Error(`pytorchWeightToKeras: data has ${data.length} values but the shape needs ${G} x ${cols} = ${G * cols}`);
  return permuteGateColumns(orderCell(cell), "pytorch", "keras", transpose2d(data, G, cols), cols, G);
}

/** A bias vector (G) from Keras's gate order to PyTorch's, or back with `from`/`to` swapped. */
export function convertGateBias(cell: KerasCell, from: GateFormat, to: GateFormat, data: Float32Array): Float32Array {
  return permuteGateRows(orderCell(cell), from, to, data, data.length, 1);
}
