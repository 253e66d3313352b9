/**
 * The vanishing (or exploding) gradient made visible: ‖∂L/∂h_t‖ for every step t of a batch,
 * with L the batch's MSE on the adding problem. The layer is run step by step with a cell that
 * holds the layer's own weights; after each step a zero "probe" leaf is added to h_t, so that
 * the probe's gradient after backward is exactly ∂L/∂h_t (the engine keeps gradients of
 * leaves only). A plain loop over cells is slow, but this is a diagnostic on one batch.
 */
import { mseLoss } from "../../losses/mse.js";
import { GRUCell, LSTMCell, RNNCell } from "../../nn/cells/cell.js";
import { zeros } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { MemoryModel } from "./model.js";

/** The layer's weights under the cell's names (weight_ih_l0 -> weight_ih). */
function cellWeights(model: MemoryModel): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(model.rnn.stateDict())) out[name.replace(/_l0$/, "")] = t.detach();
  return out;
}

/** ‖∂L/∂h_t‖ (Frobenius norm over the batch) for t = 0 .. T − 1, for x (B, T, 2) and y (B, 1). */
export function hiddenGradNorms(model: MemoryModel, x: Tensor, y: Tensor): Float64Array {
  const [B, T] = [x.shape[0]!, x.shape[1]!];
  const H = model.hiddenSize;
  const o = { inputSize: 2, hiddenSize: H };
  const weights = cellWeights(model);
  const probes: Tensor[] = [];
  let h: Tensor = zeros([B, H]);
  let c: Tensor = zeros([B, H]);
  const probe = (v: Tensor): Tensor => {
    const p = zeros([B, H], { requiresGrad: true });
    probes.push(p);
    return v.add(p);
  };
  if (model.cell === "lstm") {
    const cell = new LSTMCell(o);
    cell.loadStateDict(weights);
    for (let t = 0; t < T; t++) {
      const s = cell.forward(x.select(1, t), [h, c]);
      h = probe(s.h);
      c = s.c;
    }
  } else {
    const cell = model.cell === "gru" ? new GRUCell(o) : new RNNCell({ ...o, nonlinearity: model.cell === "relu" ? "relu" : "tanh" });
    cell.loadStateDict(weights);
    for (let t = 0; t < T; t++) h = probe(cell.forward(x.select(1, t), h));
  }
  const loss = mseLoss(model.head.forward(h), y);
  loss.backward();
  // The head's parameters took gradients too; leave the model as it came.
  model.zeroGrad();
  return Float64Array.from(probes, (p) => {
    const g = p.grad?.toArray() ?? [];
    return Math.sqrt(g.reduce((s, v) => s + v * v, 0));
  });
}
