/**
 * A Keras layer's weights in Keras's layout, converted to and from the inner layer's PyTorch
 * layout through the one gate-order map (src/io/interop/gate-order.ts):
 *
 *   Keras                                   inside (PyTorch names and order)
 *   kernel (I, G), gates as column blocks   weight_ih_l0 (G, I), gates as row blocks
 *   recurrent_kernel (H, G)                 weight_hh_l0 (G, H)
 *   bias (G)                                bias_ih_l0 (G)
 *   bias (2, G), GRU resetAfter             bias_ih_l0 (G) and bias_hh_l0 (G)
 *
 * Gate orders: LSTM Keras i|f|c|o = inside i|f|g|o; GRU Keras z|r|h, inside r|z|n.
 * Symbols: I input size, H units, G gates·H.
 */
import { Tensor } from "../../tensor/tensor.js";
import { shapeStr, sameShape } from "../../tensor/shape.js";
import { describeArg } from "../options.js";
import type { StateDictEntry } from "../module.js";
import { convertGateBias, kerasKernelToPytorch, pytorchWeightToKeras, type KerasCell } from "../../io/interop/gate-order.js";
import type { KerasCore } from "./core.js";

/** The Keras cell of the gate-order map for an inner cell name. */
export function kerasCellOf(cell: string): KerasCell {
  if (cell === "lstm" || cell === "gru" || cell === "gru_reset_before" || cell === "rnn_tanh" || cell === "rnn_relu") return cell;
  throw new Error(`Keras layout: cell "${cell}" has no Keras weight layout`);
}

function param(core: KerasCore, name: string): Tensor | null {
  return core.stateDict()[name] ?? null;
}

/** Names, in order, of the Keras weights a layer has: kernel, recurrent_kernel and (with a bias) bias. */
export function kerasWeightNames(core: KerasCore): string[] {
  return param(core, "bias_ih_l0") === null ? ["kernel", "recurrent_kernel"] : ["kernel", "recurrent_kernel", "bias"];
}

/** The shapes of the Keras weights, in order. */
export function kerasWeightShapes(core: KerasCore): number[][] {
  const H = core.hiddenSize;
  const G = param(core, "weight_hh_l0")!.shape[0]!;
  const shapes = [
    [core.inputSize, G],
    [H, G],
  ];
  if (param(core, "bias_ih_l0") !== null) shapes.push(param(core, "bias_hh_l0") === null ? [G] : [2, G]);
  return shapes;
}

/** The weights in Keras's layout and gate order (copies). */
export function getKerasWeights(core: KerasCore): Tensor[] {
  const cell = kerasCellOf(core.cell);
  const wIh = param(core, "weight_ih_l0")!;
  const wHh = param(core, "weight_hh_l0")!;
  const G = wIh.shape[0]!;
  const out = [
    new Tensor(pytorchWeightToKeras(cell, wIh.data, G, core.inputSize), [core.inputSize, G]),
    new Tensor(pytorchWeightToKeras(cell, wHh.data, G, core.hiddenSize), [core.hiddenSize, G]),
  ];
  const bIh = param(core, "bias_ih_l0");
  if (bIh !== null) {
    const bHh = param(core, "bias_hh_l0");
    const first = convertGateBias(cell, "pytorch", "keras", bIh.data);
    if (bHh === null) out.push(new Tensor(first, [G]));
    else {
      const both = new Float32Array(2 * G);
      both.set(first, 0);
      both.set(convertGateBias(cell, "pytorch", "keras", bHh.data), G);
      out.push(new Tensor(both, [2, G]));
    }
  }
  return out;
}

/**
 * Copies weights in Keras's layout (`getWeights()` order and shapes) into the inner layer.
 * Everything is checked before anything is copied, so a failed call leaves the layer unchanged.
 */
export function setKerasWeights(where: string, core: KerasCore, weights: readonly StateDictEntry[]): void {
  const names = kerasWeightNames(core);
  const shapes = kerasWeightShapes(core);
  if (!Array.isArray(weights) || weights.length !== names.length) {
    throw new Error(`${where}: expected ${names.length} weights [${names.join(", ")}] with shapes ${shapes.map(shapeStr).join(", ")}, got ${describeArg(weights)}`);
  }
  const values = weights.map((w, k) => {
    const ok = w instanceof Tensor || (typeof w === "object" && w !== null && Array.isArray(w.shape) && typeof w.data === "object" && w.data !== null);
    if (!ok) throw new Error(`${where}: ${names[k]} must be a Tensor or { shape, data }, got ${describeArg(w)}`);
    if (!sameShape(w.shape, shapes[k]!)) throw new Error(`${where}: ${names[k]} has shape ${shapeStr(w.shape)} but the layer expects ${shapeStr(shapes[k]!)} (Keras layout)`);
    if (w.data.length !== shapes[k]!.reduce((a, b) => a * b, 1)) throw new Error(`${where}: ${names[k]} has ${w.data.length} values for shape ${shapeStr(w.shape)}`);
    const data = Float32Array.from(w.data);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) throw new Error(`${where}: ${names[k]} holds a non-finite value (${data[i]}) at flat index ${i}`);
    }
    return data;
  });
  const cell = kerasCellOf(core.cell);
  const G = shapes[0]![1]!;
  param(core, "weight_ih_l0")!.data.set(kerasKernelToPytorch(cell, values[0]!, core.inputSize, G));
  param(core, "weight_hh_l0")!.data.set(kerasKernelToPytorch(cell, values[1]!, core.hiddenSize, G));
  if (values.length === 3) {
    const bias = values[2]!;
    param(core, "bias_ih_l0")!.data.set(convertGateBias(cell, "keras", "pytorch", bias.subarray(0, G)));
    const bHh = param(core, "bias_hh_l0");
    if (bHh !== null) bHh.data.set(convertGateBias(cell, "keras", "pytorch", bias.subarray(G, 2 * G)));
  }
}
