import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { reshape } from "../../autograd/ops/shape.js";
import { Module, requireFinite, type LayerConfig } from "../module.js";
import { checkOptions, type OptionSchema } from "../options.js";
import { cellParam } from "../init.js";
import { recurrentDirection } from "../layers/recurrent-op.js";
import { cellFor } from "./registry.js";
import { activeParams, type CellName, type CellParams, type CellSpec, type CellState } from "./spec.js";
import { hcState, parseState, typedState, type HCState, type HCStateInput, type HStateInput } from "./state.js";

export interface CellOptions {
  /** Input features I. */
  inputSize: number;
  /** Hidden features H. */
  hiddenSize: number;
  /** Learn the cell's biases. Default true. */
  bias?: boolean;
}

const CELL_SCHEMA: OptionSchema = {
  inputSize: { type: "integer", min: 1, optional: false, doc: "input features I" },
  hiddenSize: { type: "integer", min: 1, optional: false, doc: "hidden features H" },
  bias: { type: "boolean", doc: "learn the biases, default true" },
};

/**
 * One time step of a registered cell, with its parameters under their bare names (PyTorch's
 * `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` for its cells). A step is the layer's sequence
 * path with T = 1 (fused, or generic), so a cell and a layer share one implementation of the math
 * and its gradient.
 */
export abstract class CellBase extends Module {
  /** The cell's name in messages, e.g. "LSTMCell". */
  readonly layerName: string;
  /** The registered cell this runs. */
  readonly cell: CellName;
  readonly spec: CellSpec;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  private readonly p: CellParams;

  /** `opts` must already be checked against the cell's schema (checkOptions). */
  protected constructor(layerName: string, cell: CellName, opts: CellOptions) {
    super();
    this.layerName = layerName;
    this.cell = cell;
    this.spec = cellFor(layerName, cell);
    this.inputSize = opts.inputSize;
    this.hiddenSize = opts.hiddenSize;
    this.bias = opts.bias ?? true;
    const H = opts.hiddenSize;
    const dims = { I: opts.inputSize, H, P: H, G: this.spec.gatesPerUnit * H };
    const named: Record<string, Tensor> = {};
    for (const p of activeParams(this.spec, this.bias, false)) named[p.suffix] = this.registerParameter(p.suffix, cellParam(p.shape(dims), p.init, H));
    this.p = named;
  }

  override describe(): string {
    return `${this.layerName}(hiddenSize=${this.hiddenSize})`;
  }

  override getConfig(): LayerConfig {
    return { inputSize: this.inputSize, hiddenSize: this.hiddenSize, bias: this.bias };
  }

  /** One step from a typed state (`{ h }` or `{ h, c }`, zeros when omitted) to the next, typed. */
  forwardState(x: Tensor, state?: CellState | null): CellState {
    const s = this.stepWith(x, state);
    return typedState(s.h, s.c);
  }

  /** Reads a state in any accepted form (see state.ts) and runs one step. */
  protected stepWith(x: Tensor, state: unknown): { h: Tensor; c: Tensor | null } {
    const s = parseState(`${this.describe()}.forward`, this.spec, state, "hx", "cx");
    return this.step(x, s.h, s.c);
  }

  /** x is (B, I) or unbatched (I); states are (B, H) or (H). Returns h' and (with a c state) c'. */
  protected step(x: Tensor, h: Tensor | null, c: Tensor | null): { h: Tensor; c: Tensor | null } {
    const where = `${this.describe()}.forward`;
    const H = this.hiddenSize;
    if (!(x instanceof Tensor) || (x.ndim !== 1 && x.ndim !== 2) || x.shape[x.ndim - 1] !== this.inputSize) {
      throw new Error(`${where}: input must be (B, I) or (I) with I = ${this.inputSize}, got ${x instanceof Tensor ? `shape ${shapeStr(x.shape)}` : typeof x}`);
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
    const c0 = this.spec.states.length === 2 ? state(c, "cx") : null;
    const r = recurrentDirection(this.spec, reshape(x, [1, B, this.inputSize]), h0, c0, this.p, H, false);
    const shapeOut = unbatched ? [H] : [B, H];
    return { h: reshape(r.hN, shapeOut), c: r.cN === null ? null : reshape(r.cN, shapeOut) };
  }
}

/** A cell with state h alone: `forward(x, hx?)` takes hx or `{ h }` and returns h'. */
abstract class HCell extends CellBase {
  forward(x: Tensor, hx?: HStateInput | null): Tensor {
    return this.stepWith(x, hx).h;
  }
}

/** A cell with states h and c: `forward(x, state?)` takes [hx, cx] or `{ h, c }` and returns [h', c'] (also `.h`, `.c`). */
abstract class HCCell extends CellBase {
  forward(x: Tensor, state?: HCStateInput | null): HCState {
    const r = this.stepWith(x, state);
    return hcState(r.h, r.c!);
  }
}

/** Options of RNNCell. */
export interface RNNCellOptions extends CellOptions {
  /** "tanh" (default) or "relu". */
  nonlinearity?: "tanh" | "relu";
}

/** Elman cell: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh). */
export class RNNCell extends HCell {
  readonly nonlinearity: "tanh" | "relu";

  constructor(opts: RNNCellOptions) {
    const o = checkOptions<RNNCellOptions>("RNNCell", opts, { ...CELL_SCHEMA, nonlinearity: { type: "enum", values: ["tanh", "relu"] } });
    super("RNNCell", o.nonlinearity === "relu" ? "rnn_relu" : "rnn_tanh", o);
    this.nonlinearity = o.nonlinearity ?? "tanh";
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), nonlinearity: this.nonlinearity };
  }
}

/** GRU cell, gate order r|z|n. */
export class GRUCell extends HCell {
  constructor(opts: CellOptions) {
    super("GRUCell", "gru", checkOptions<CellOptions>("GRUCell", opts, CELL_SCHEMA));
  }
}

/** LSTM cell, gate order i|f|g|o. */
export class LSTMCell extends HCCell {
  constructor(opts: CellOptions) {
    super("LSTMCell", "lstm", checkOptions<CellOptions>("LSTMCell", opts, CELL_SCHEMA));
  }
}

/** Peephole LSTM cell (see PeepholeLSTM): parameters weight_ih, weight_hh, bias_ih, bias_hh, weight_ci, weight_cf, weight_co. */
export class PeepholeLSTMCell extends HCCell {
  constructor(opts: CellOptions) {
    super("PeepholeLSTMCell", "peephole_lstm", checkOptions<CellOptions>("PeepholeLSTMCell", opts, CELL_SCHEMA));
  }
}

/** Layer-normalised LSTM cell (see LayerNormLSTM), as PyTorch's fastrnns LayerNormLSTMCell. */
export class LayerNormLSTMCell extends HCCell {
  constructor(opts: CellOptions) {
    super("LayerNormLSTMCell", "layernorm_lstm", checkOptions<CellOptions>("LayerNormLSTMCell", opts, CELL_SCHEMA));
  }
}

/** Options of the generic cell. */
export interface RecurrentCellOptions extends CellOptions {
  /** The registered cell to run. */
  cell: CellName;
}

/** Any registered cell, one step at a time: `forward(x, state?)` takes and returns the typed state. */
export class RecurrentCell extends CellBase {
  constructor(opts: RecurrentCellOptions) {
    const o = checkOptions<RecurrentCellOptions>("RecurrentCell", opts, { ...CELL_SCHEMA, cell: { type: "string", optional: false } });
    super(`RecurrentCell(cell=${o.cell})`, o.cell, o);
  }

  override describe(): string {
    return `RecurrentCell(cell=${this.cell}, hiddenSize=${this.hiddenSize})`;
  }

  override getConfig(): LayerConfig {
    return { cell: this.cell, ...super.getConfig() };
  }

  forward(x: Tensor, state?: CellState | null): CellState {
    return this.forwardState(x, state);
  }
}
