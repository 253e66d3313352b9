/**
 * What the exporters (ONNX, PyTorch) share about a recurrent layer's parameters: a layer built
 * with `recurrentBias: false` (Keras's single bias) has no `bias_hh_*`, and both formats want one,
 * so it is written as zeros, which computes the same function.
 */
import type { RNNBase } from "../../nn/layers/rnn-base.js";

/** The layer's `bias_hh` of one layer and direction (`sfx` = `_l0`, `_l1_reverse`, ...), or zeros when it has none. */
export function recurrentBiasOrZeros(layer: RNNBase, sfx: string): Float32Array {
  const t = layer.stateDict()[`bias_hh${sfx}`];
  if (t !== undefined) return t.data;
  return new Float32Array(layer.spec.gatesPerUnit * layer.hiddenSize);
}

/** The `bias_hh_*` names a PyTorch state dict of this layer needs but the layer does not hold (under `prefix`). */
export function missingRecurrentBiases(layer: RNNBase, prefix: string): string[] {
  if (!layer.bias || layer.recurrentBias) return [];
  const names: string[] = [];
  for (let l = 0; l < layer.numLayers; l++) {
    for (let d = 0; d < layer.numDirections; d++) names.push(`${prefix}bias_hh_l${l}${d === 1 ? "_reverse" : ""}`);
  }
  return names;
}
