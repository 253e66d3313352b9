/**
 * The forecaster: a recurrent layer (LSTM or GRU, batch first) reads a window of scaled monthly
 * changes, and a linear head maps its last hidden state to the next `horizon` scaled changes.
 * Output k is the forecast of step k + 1, so output 0 serves the one-step and recursive
 * forecasts and all of them the direct one.
 */
import { Linear } from "../../nn/layers/linear.js";
import { GRU, LSTM } from "../../nn/layers/rnn.js";
import { Module } from "../../nn/module.js";
import type { Tensor } from "../../tensor/tensor.js";

export interface ForecasterOptions {
  /** "lstm" or "gru". Required. */
  cell: "lstm" | "gru";
  /** Hidden units per layer. Required. */
  hiddenSize: number;
  /** Stacked layers. Default 1. */
  numLayers?: number;
  /** Outputs: forecast steps. Required. */
  horizon: number;
}

export class Forecaster extends Module {
  readonly rnn: LSTM | GRU;
  readonly head: Linear;
  readonly horizon: number;
  readonly cell: "lstm" | "gru";
  readonly hiddenSize: number;

  constructor(opts: ForecasterOptions) {
    super();
    if (!Number.isInteger(opts.horizon) || opts.horizon < 1) throw new Error(`Forecaster: horizon must be a positive integer, got ${String(opts.horizon)}`);
    this.horizon = opts.horizon;
    this.cell = opts.cell;
    this.hiddenSize = opts.hiddenSize;
    const layer = { inputSize: 1, hiddenSize: opts.hiddenSize, numLayers: opts.numLayers ?? 1, batchFirst: true };
    this.rnn = this.registerModule("rnn", opts.cell === "gru" ? new GRU(layer) : new LSTM(layer));
    this.head = this.registerModule("head", new Linear({ inFeatures: opts.hiddenSize, outFeatures: opts.horizon }));
  }

  override describe(): string {
    return `Forecaster(cell=${this.cell}, hiddenSize=${this.hiddenSize}, horizon=${this.horizon})`;
  }

  /** (B, W, 1) windows to (B, horizon) scaled changes. */
  forward(x: Tensor): Tensor {
    if (x.ndim !== 3 || x.shape[2] !== 1) throw new Error(`Forecaster.forward: input must be (B, W, 1), got (${x.shape.join(", ")})`);
    const [out] = this.rnn.forward(x);
    const last = out.select(1, out.shape[1]! - 1);
    return this.head.forward(last);
  }
}
