/**
 * The adding-problem model: one recurrent layer (tanh RNN, relu RNN, LSTM or GRU; batch first)
 * reads the (value, marker) pairs and a linear head maps its last hidden state to the sum.
 */
import { Linear } from "../../nn/layers/linear.js";
import { GRU, LSTM, RNN } from "../../nn/layers/rnn.js";
import { Module } from "../../nn/module.js";
import type { Tensor } from "../../tensor/tensor.js";

/** "rnn" is the tanh RNN; "relu" the relu RNN of the exploding-gradient case. */
export type MemoryCell = "rnn" | "relu" | "lstm" | "gru";
export const MEMORY_CELLS: readonly MemoryCell[] = ["rnn", "relu", "lstm", "gru"];

export class MemoryModel extends Module {
  readonly cell: MemoryCell;
  readonly hiddenSize: number;
  readonly rnn: RNN | LSTM | GRU;
  readonly head: Linear;

  constructor(cell: MemoryCell, hiddenSize: number) {
    super();
    this.cell = cell;
    this.hiddenSize = hiddenSize;
    const o = { inputSize: 2, hiddenSize, batchFirst: true };
    this.rnn = this.registerModule("rnn", cell === "lstm" ? new LSTM(o) : cell === "gru" ? new GRU(o) : new RNN({ ...o, nonlinearity: cell === "relu" ? "relu" : "tanh" }));
    this.head = this.registerModule("head", new Linear({ inFeatures: hiddenSize, outFeatures: 1 }));
  }

  override describe(): string {
    return `MemoryModel(cell=${this.cell}, hiddenSize=${this.hiddenSize})`;
  }

  /** (B, T, 2) to (B, 1). */
  forward(x: Tensor): Tensor {
    const [out] = this.rnn.forward(x);
    return this.head.forward(out.select(1, out.shape[1]! - 1));
  }
}
