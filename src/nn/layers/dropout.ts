import type { Tensor } from "../../tensor/tensor.js";
import { dropout } from "../../autograd/ops/dropout.js";
import { Module } from "../module.js";

/** Inverted dropout with probability p, active only in training mode. */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p < 1)) throw new Error(`Dropout: p must be in [0, 1), got ${p}`);
  }

  describe(): string {
    return `Dropout(p=${this.p})`;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
}
