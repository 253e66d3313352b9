import type { Tensor } from "../../tensor/tensor.js";
import { RNNBase, type RNNBaseOptions } from "./rnn-base.js";

export interface RNNOptions extends RNNBaseOptions {
  /** Nonlinearity of the Elman cell: "tanh" (default) or "relu". */
  nonlinearity?: "tanh" | "relu";
}

/** Elman RNN: h_t = act(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh). Returns [output, hN]. */
export class RNN extends RNNBase {
  constructor(opts: RNNOptions) {
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") throw new Error(`RNN: nonlinearity must be "tanh" or "relu", got "${String(nl)}"`);
    super("RNN", nl === "tanh" ? "rnn_tanh" : "rnn_relu", opts);
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const r = this.run(x, h0 ?? null, null);
    return [r.out, r.hN];
  }
}

/** GRU, gate order r|z|n as PyTorch. Returns [output, hN]. */
export class GRU extends RNNBase {
  constructor(opts: RNNBaseOptions) {
    super("GRU", "gru", opts);
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const r = this.run(x, h0 ?? null, null);
    return [r.out, r.hN];
  }
}

export interface LSTMOptions extends RNNBaseOptions {
  /** Project h to this width with weight_hr (LSTMP); 0 (default) means no projection. Must be < hiddenSize. */
  projSize?: number;
}

/** LSTM, gate order i|f|g|o as PyTorch. Returns [output, [hN, cN]]. */
export class LSTM extends RNNBase {
  readonly projSize: number;

  constructor(opts: LSTMOptions) {
    super("LSTM", "lstm", opts, opts.projSize ?? 0);
    this.projSize = opts.projSize ?? 0;
  }

  forward(x: Tensor, state?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    const r = this.run(x, state?.[0] ?? null, state?.[1] ?? null);
    return [r.out, [r.hN, r.cN!]];
  }
}
