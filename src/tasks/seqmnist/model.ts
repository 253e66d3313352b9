/**
 * The many-to-one classifier of sequential image classification: a recurrent stack reads the
 * image row by row (batch first, (B, T, I) = (B, 28, 28) for Fashion-MNIST) and a linear layer
 * maps the last step's output to class logits (B, C).
 */
import { select } from "../../autograd/ops/shape.js";
import { Linear } from "../../nn/layers/linear.js";
import { GRU, LSTM, RNN } from "../../nn/layers/rnn.js";
import { Module, type LayerConfig } from "../../nn/module.js";
import { describeArg } from "../../nn/options.js";
import { shapeStr } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";

export type SeqCell = "lstm" | "gru" | "rnn";
export const SEQ_CELLS: readonly SeqCell[] = ["lstm", "gru", "rnn"];

export interface SeqClassifierOptions {
  /** Recurrent cell. Default "lstm". */
  cell?: SeqCell;
  /** Features per step (pixels per row). Required. */
  inputSize: number;
  /** Hidden units per layer. Required. */
  hiddenSize: number;
  /** Stacked recurrent layers. Default 1. */
  numLayers?: number;
  /** Classes. Required. */
  numClasses: number;
}

export class SeqClassifier extends Module {
  readonly rnn: LSTM | GRU | RNN;
  readonly head: Linear;
  readonly cell: SeqCell;

  constructor(opts: SeqClassifierOptions) {
    super();
    const cell = opts.cell ?? "lstm";
    if (!SEQ_CELLS.includes(cell)) throw new Error(`SeqClassifier: cell must be one of ${SEQ_CELLS.join(", ")}, got ${describeArg(cell)}`);
    this.cell = cell;
    const rnnOpts = { inputSize: opts.inputSize, hiddenSize: opts.hiddenSize, numLayers: opts.numLayers ?? 1, batchFirst: true };
    this.rnn = cell === "lstm" ? new LSTM(rnnOpts) : cell === "gru" ? new GRU(rnnOpts) : new RNN(rnnOpts);
    this.head = new Linear({ inFeatures: opts.hiddenSize, outFeatures: opts.numClasses });
  }

  override describe(): string {
    return `SeqClassifier(${this.cell}, hiddenSize=${this.rnn.hiddenSize}, numLayers=${this.rnn.numLayers})`;
  }

  override getConfig(): LayerConfig {
    return { cell: this.cell, inputSize: this.rnn.inputSize, hiddenSize: this.rnn.hiddenSize, numLayers: this.rnn.numLayers, numClasses: this.head.outFeatures };
  }

  /** x (B, T, I) -> logits (B, C), from the output of the last step. */
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.ndim !== 3) {
      throw new Error(`${this.describe()}.forward: input must be (B, T, I) rows of images, got ${x instanceof Tensor ? shapeStr(x.shape) : describeArg(x)}`);
    }
    const [out] = this.rnn.forward(x);
    return this.head.forward(select(out, 1, x.shape[1]! - 1));
  }
}
