import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { type CellMode, GATES_PER_UNIT } from "../../backends/backend.js";
import { reshape } from "../../autograd/ops/shape.js";
import { Module, requireFinite, requirePositiveInt } from "../module.js";
import { uniformParam } from "../init.js";
import { type DirectionParams, recurrentDirection } from "../layers/recurrent-op.js";

export interface CellOptions {
  /** Input features I. */
  inputSize: number;
  /** Hidden features H. */
  hiddenSize: number;
  /** Learn b_ih and b_hh. Default true. */
  bias?: boolean;
}

/**
 * One time step of a recurrent cell, with PyTorch's parameter names (`weight_ih`, `weight_hh`,
 * `bias_ih`, `bias_hh`). A step is the fused sequence kernel with T = 1, so a cell and a layer
 * share one implementation of the math and its gradient.
 */
export abstract class CellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  private readonly p: DirectionParams;

  protected constructor(
    readonly kind: string,
    readonly mode: CellMode,
    opts: CellOptions,
  ) {
    super();
    requirePositiveInt(kind, "inputSize", opts.inputSize);
    requirePositiveInt(kind, "hiddenSize", opts.hiddenSize);
    this.inputSize = opts.inputSize;
    this.hiddenSize = opts.hiddenSize;
    const H = opts.hiddenSize;
    const G = GATES_PER_UNIT[mode] * H;
    const bound = 1 / Math.sqrt(H);
    const wIh = this.registerParameter("weight_ih", uniformParam([G, opts.inputSize], bound));
    const wHh = this.registerParameter("weight_hh", uniformParam([G, H], bound));
    const withBias = opts.bias ?? true;
    const bIh = withBias ? this.registerParameter("bias_ih", uniformParam([G], bound)) : null;
    const bHh = withBias ? this.registerParameter("bias_hh", uniformParam([G], bound)) : null;
    this.p = { wIh, wHh, bIh, bHh, wHr: null };
  }

  describe(): string {
    return `${this.kind}(hiddenSize=${this.hiddenSize})`;
  }

  /** x is (B, I) or unbatched (I); states are (B, H) or (H). Returns h' and (LSTM) c'. */
  protected step(x: Tensor, h: Tensor | null, c: Tensor | null): { h: Tensor; c: Tensor | null } {
    const where = `${this.describe()}.forward`;
    const H = this.hiddenSize;
    if ((x.ndim !== 1 && x.ndim !== 2) || x.shape[x.ndim - 1] !== this.inputSize) {
      throw new Error(`${where}: input must be (B, I) or (I) with I = ${this.inputSize}, got shape ${shapeStr(x.shape)}`);
    }
    requireFinite(where, "input", x);
    const unbatched = x.ndim === 1;
    const B = unbatched ? 1 : x.shape[0]!;
    const want = unbatched ? [H] : [B, H];
    const state = (s: Tensor | null, arg: string): Tensor => {
      if (s === null) return new Tensor(new Float32Array(B * H), [B, H]);
      if (s.ndim !== want.length || s.shape.some((d, i) => d !== want[i])) {
        throw new Error(`${where}: ${arg} must have shape ${shapeStr(want)}, got ${shapeStr(s.shape)}`);
      }
      requireFinite(where, arg, s);
      return unbatched ? reshape(s, [1, H]) : s;
    };
    const h0 = state(h, "hx");
    const c0 = this.mode === "lstm" ? state(c, "cx") : null;
    const r = recurrentDirection(this.mode, reshape(x, [1, B, this.inputSize]), h0, c0, this.p, H, false);
    const shapeOut = unbatched ? [H] : [B, H];
    return { h: reshape(r.hN, shapeOut), c: r.cN === null ? null : reshape(r.cN, shapeOut) };
  }
}

export class RNNCell extends CellBase {
  constructor(opts: CellOptions & { nonlinearity?: "tanh" | "relu" }) {
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") throw new Error(`RNNCell: nonlinearity must be "tanh" or "relu", got "${String(nl)}"`);
    super("RNNCell", nl === "tanh" ? "rnn_tanh" : "rnn_relu", opts);
  }

  forward(x: Tensor, hx?: Tensor | null): Tensor {
    return this.step(x, hx ?? null, null).h;
  }
}

export class GRUCell extends CellBase {
  constructor(opts: CellOptions) {
    super("GRUCell", "gru", opts);
  }

  forward(x: Tensor, hx?: Tensor | null): Tensor {
    return this.step(x, hx ?? null, null).h;
  }
}

export class LSTMCell extends CellBase {
  constructor(opts: CellOptions) {
    super("LSTMCell", "lstm", opts);
  }

  forward(x: Tensor, state?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    const r = this.step(x, state?.[0] ?? null, state?.[1] ?? null);
    return [r.h, r.c!];
  }
}
