import { Tensor } from "../../tensor/tensor.js";
import { shapeStr, sizeOf } from "../../tensor/shape.js";
import { type CellMode, GATES_PER_UNIT } from "../../backends/backend.js";
import { concat, stack, select, transpose, reshape } from "../../autograd/ops/shape.js";
import { dropout } from "../../autograd/ops/dropout.js";
import { Module, requireFinite, requirePositiveInt } from "../module.js";
import { uniformParam } from "../init.js";
import { type DirectionParams, recurrentDirection } from "./recurrent-op.js";

/** Options shared by RNN, LSTM and GRU (PyTorch's names in camelCase). */
export interface RNNBaseOptions {
  /** Features per time step of the input, I. */
  inputSize: number;
  /** Features of the hidden state, H. */
  hiddenSize: number;
  /** Stacked layers L; layer l+1 reads layer l's output sequence. Default 1. */
  numLayers?: number;
  /** Learn b_ih and b_hh. Default true. (Two biases, as PyTorch has, so weights load one to one.) */
  bias?: boolean;
  /** Input and output are (B, T, ·) instead of (T, B, ·). States stay (L·D, B, ·). Default false. */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode. Default 0. */
  dropout?: number;
  /** Run a second direction over the reversed sequence and concatenate the outputs (D = 2). Default false. */
  bidirectional?: boolean;
}

export interface RecurrentOutput {
  out: Tensor; // (T, B, D·P) or (B, T, D·P)
  hN: Tensor; // (L·D, B, P)
  cN: Tensor | null; // (L·D, B, H)
}

/**
 * Everything RNN, LSTM and GRU share: parameters in PyTorch's names and order, stacking,
 * directions, batch-first layout, initial states, dropout between layers and input checks.
 * A subclass only fixes the cell mode (which picks the fused kernel) and its forward's types.
 */
export abstract class RNNBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Output/recurrent width P: projSize for a projected LSTM, else hiddenSize. */
  readonly outputSize: number;
  private readonly dirParams: DirectionParams[][] = []; // [layer][direction]

  protected constructor(
    readonly kind: string,
    readonly mode: CellMode,
    opts: RNNBaseOptions,
    projSize = 0,
  ) {
    super();
    const name = kind;
    requirePositiveInt(name, "inputSize", opts.inputSize);
    requirePositiveInt(name, "hiddenSize", opts.hiddenSize);
    this.inputSize = opts.inputSize;
    this.hiddenSize = opts.hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    requirePositiveInt(name, "numLayers", this.numLayers);
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`${name}: dropout must be in [0, 1), got ${this.dropout}`);
    this.bidirectional = opts.bidirectional ?? false;
    if (!Number.isInteger(projSize) || projSize < 0) throw new Error(`${name}: projSize must be a non-negative integer, got ${projSize}`);
    if (projSize >= opts.hiddenSize) throw new Error(`${name}: projSize must be smaller than hiddenSize (${opts.hiddenSize}), got ${projSize}`);
    this.outputSize = projSize > 0 ? projSize : opts.hiddenSize;

    const H = this.hiddenSize;
    const P = this.outputSize;
    const G = GATES_PER_UNIT[mode] * H;
    const D = this.numDirections;
    const bound = 1 / Math.sqrt(H);
    for (let l = 0; l < this.numLayers; l++) {
      const layer: DirectionParams[] = [];
      const inSize = l === 0 ? this.inputSize : P * D;
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
        const wIh = this.registerParameter(`weight_ih${sfx}`, uniformParam([G, inSize], bound));
        const wHh = this.registerParameter(`weight_hh${sfx}`, uniformParam([G, P], bound));
        const bIh = this.bias ? this.registerParameter(`bias_ih${sfx}`, uniformParam([G], bound)) : null;
        const bHh = this.bias ? this.registerParameter(`bias_hh${sfx}`, uniformParam([G], bound)) : null;
        const wHr = projSize > 0 ? this.registerParameter(`weight_hr${sfx}`, uniformParam([P, H], bound)) : null;
        layer.push({ wIh, wHh, bIh, bHh, wHr });
      }
      this.dirParams.push(layer);
    }
  }

  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  describe(): string {
    return `${this.kind}(hiddenSize=${this.hiddenSize})`;
  }

  /**
   * Runs the whole stack. `x` is (T, B, I), (B, T, I) with batchFirst, or unbatched (T, I).
   * Missing initial states are zeros.
   */
  protected run(x: Tensor, h0: Tensor | null, c0: Tensor | null): RecurrentOutput {
    const where = `${this.describe()}.forward`;
    const L = this.numLayers;
    const D = this.numDirections;
    const H = this.hiddenSize;
    const P = this.outputSize;
    const unbatched = x.ndim === 2;
    if (x.ndim !== 2 && x.ndim !== 3) {
      const layout = this.batchFirst ? "(B, T, I)" : "(T, B, I)";
      throw new Error(`${where}: input must have 3 dims ${layout} or 2 dims (T, I), got shape ${shapeStr(x.shape)}`);
    }
    const lastDim = x.shape[x.ndim - 1]!;
    if (lastDim !== this.inputSize) {
      const layout = unbatched ? "(T, I)" : this.batchFirst ? "(B, T, I)" : "(T, B, I)";
      throw new Error(`${where}: input has ${x.ndim} dims ${layout} = (${x.shape.join(", ")}) but I must be ${this.inputSize}`);
    }
    if (sizeOf(x.shape) === 0) throw new Error(`${where}: input shape ${shapeStr(x.shape)} is empty; T and B must be at least 1`);
    requireFinite(where, "input", x);

    let seq = unbatched ? reshape(x, [x.shape[0]!, 1, lastDim]) : this.batchFirst ? transpose(x, 0, 1) : x; // (T, B, I)
    const B = seq.shape[1]!;
    const stateShape = (w: number): number[] => (unbatched ? [L * D, w] : [L * D, B, w]);
    const checkState = (s: Tensor | null, arg: string, w: number): Tensor | null => {
      if (s === null) return null;
      const want = stateShape(w);
      if (s.ndim !== want.length || s.shape.some((d, i) => d !== want[i])) {
        throw new Error(`${where}: ${arg} must have shape ${shapeStr(want)} (numLayers·numDirections, ${unbatched ? "" : "B, "}${arg === "c0" ? "H" : "P"}), got ${shapeStr(s.shape)}`);
      }
      requireFinite(where, arg, s);
      return unbatched ? reshape(s, [L * D, 1, w]) : s;
    };
    const h0b = checkState(h0, "h0", P);
    const c0b = this.mode === "lstm" ? checkState(c0, "c0", H) : null;

    const hNs: Tensor[] = [];
    const cNs: Tensor[] = [];
    for (let l = 0; l < L; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const hInit = h0b !== null ? select(h0b, 0, k) : new Tensor(new Float32Array(B * P), [B, P]);
        const cInit = this.mode !== "lstm" ? null : c0b !== null ? select(c0b, 0, k) : new Tensor(new Float32Array(B * H), [B, H]);
        const r = recurrentDirection(this.mode, seq, hInit, cInit, this.dirParams[l]![d]!, H, d === 1);
        outs.push(r.out);
        hNs.push(r.hN);
        if (r.cN !== null) cNs.push(r.cN);
      }
      seq = D === 1 ? outs[0]! : concat(outs, 2);
      if (l < L - 1 && this.dropout > 0) seq = dropout(seq, this.dropout, this.training);
    }
    let hN = stack(hNs, 0);
    let cN = cNs.length > 0 ? stack(cNs, 0) : null;
    let out = seq;
    if (unbatched) {
      out = reshape(out, [out.shape[0]!, D * P]);
      hN = reshape(hN, [L * D, P]);
      if (cN !== null) cN = reshape(cN, [L * D, H]);
    } else if (this.batchFirst) out = transpose(out, 0, 1);
    return { out, hN, cN };
  }
}
