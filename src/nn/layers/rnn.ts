import type { Tensor } from "../../tensor/tensor.js";
import type { LayerConfig } from "../module.js";
import { checkOptions, type OptionSchema } from "../options.js";
import type { CellName, CellState } from "../cells/spec.js";
import { hcState, type HCState, type HCStateInput, type HStateInput } from "../cells/state.js";
import { RNNBase, RNN_BASE_SCHEMA, type RNNBaseOptions } from "./rnn-base.js";
import { resolveActivation } from "../cells/variant.js";
import type { SequenceOptions } from "../utils/sequence-options.js";

export interface RNNOptions extends Omit<RNNBaseOptions, "recurrentActivation"> {
  /** Nonlinearity of the Elman cell: "tanh" (default) or "relu". */
  nonlinearity?: "tanh" | "relu";
  /**
   * Any activation for h (Keras's `activation`), instead of `nonlinearity`: "tanh" and "relu"
   * are the same as that option; others (e.g. "linear", "hardSigmoid") run the tanh cell with h's
   * nonlinearity replaced. Giving both with different values is an error.
   */
  activation?: RNNBaseOptions["activation"];
}

const RNN_SCHEMA: OptionSchema = { ...RNN_BASE_SCHEMA, nonlinearity: { type: "enum", values: ["tanh", "relu"], doc: 'default "tanh"' } };

/**
 * Elman RNN: h_t = act(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh). `forward(x, h0?)` takes h0
 * (L·D, B, H) or `{ h }` and returns [output, hN].
 */
export class RNN extends RNNBase {
  readonly nonlinearity: "tanh" | "relu";

  constructor(opts: RNNOptions) {
    const o = checkOptions<RNNOptions>("RNN", opts, RNN_SCHEMA);
    const act = o.activation === undefined ? undefined : resolveActivation("RNN", "activation", o.activation);
    if (o.nonlinearity !== undefined && act !== undefined && act !== o.nonlinearity) {
      throw new Error(`RNN: options nonlinearity (${JSON.stringify(o.nonlinearity)}) and activation (${JSON.stringify(act)}) disagree; give one of them`);
    }
    const relu = (o.nonlinearity ?? act) === "relu";
    super("RNN", relu ? "rnn_relu" : "rnn_tanh", o);
    this.nonlinearity = relu ? "relu" : "tanh";
  }

  /** `nonlinearity`, or `activation` alone when h's nonlinearity is neither tanh nor relu. */
  override getConfig(): LayerConfig {
    const config = super.getConfig();
    return "activation" in config ? config : { ...config, nonlinearity: this.nonlinearity };
  }

  /** `opts`: per-sequence `lengths` or a Keras `mask` (see SequenceOptions). */
  forward(x: Tensor, h0?: HStateInput | null, opts?: SequenceOptions): [Tensor, Tensor] {
    const r = this.runWith(x, h0, opts);
    return [r.out, r.hN];
  }
}

/** GRU, gate order r|z|n as PyTorch. `forward(x, h0?)` takes h0 or `{ h }`; returns [output, hN]. */
export class GRU extends RNNBase {
  constructor(opts: RNNBaseOptions) {
    super("GRU", "gru", checkOptions<RNNBaseOptions>("GRU", opts, RNN_BASE_SCHEMA));
  }

  /** `opts`: per-sequence `lengths` or a Keras `mask` (see SequenceOptions). */
  forward(x: Tensor, h0?: HStateInput | null, opts?: SequenceOptions): [Tensor, Tensor] {
    const r = this.runWith(x, h0, opts);
    return [r.out, r.hN];
  }
}

export interface LSTMOptions extends RNNBaseOptions {
  /** Project h to this width with weight_hr (LSTMP); 0 (default) means no projection. Must be < hiddenSize. */
  projSize?: number;
}

const LSTM_SCHEMA: OptionSchema = { ...RNN_BASE_SCHEMA, projSize: { type: "integer", min: 0, doc: "projection width, default 0 (none)" } };

/** A layer whose cell carries h and c: forward takes [h0, c0] or { h, c } and returns [output, state]. */
abstract class HCLayer extends RNNBase {
  /**
   * Runs the stack from `state` ([h0, c0] or { h, c }, each (L·D, B, ·); zeros when omitted).
   * Returns [output, [hN, cN]]; the state tuple also has `.h` and `.c`.
   */
  forward(x: Tensor, state?: HCStateInput | null, opts?: SequenceOptions): [Tensor, HCState] {
    const r = this.runWith(x, state, opts);
    return [r.out, hcState(r.hN, r.cN!)];
  }
}

/** LSTM, gate order i|f|g|o as PyTorch, optionally projected (projSize). */
export class LSTM extends HCLayer {
  constructor(opts: LSTMOptions) {
    super("LSTM", "lstm", checkOptions<LSTMOptions>("LSTM", opts, LSTM_SCHEMA));
  }

  override getConfig(): LayerConfig {
    return this.projSize > 0 ? { ...super.getConfig(), projSize: this.projSize } : super.getConfig();
  }
}

/**
 * Peephole LSTM (Gers & Schmidhuber 2000): i and f see c_{t-1}, o sees c_t, through the per-unit
 * weights weight_ci, weight_cf, weight_co (equations in src/nn/cells/peephole-lstm.ts). Options
 * as LSTM without projSize; forward as LSTM.
 */
export class PeepholeLSTM extends HCLayer {
  constructor(opts: RNNBaseOptions) {
    super("PeepholeLSTM", "peephole_lstm", checkOptions<RNNBaseOptions>("PeepholeLSTM", opts, RNN_BASE_SCHEMA));
  }
}

/**
 * Layer-normalised LSTM (Ba, Kiros & Hinton 2016) as PyTorch's fastrnns reference cell: layer
 * norm on both gate pre-activations and on c_t (equations in src/nn/cells/layernorm-lstm.ts).
 * Options as LSTM without projSize (`bias` toggles the layer norms' biases); forward as LSTM.
 */
export class LayerNormLSTM extends HCLayer {
  constructor(opts: RNNBaseOptions) {
    super("LayerNormLSTM", "layernorm_lstm", checkOptions<RNNBaseOptions>("LayerNormLSTM", opts, RNN_BASE_SCHEMA));
  }
}

/** Options of the generic layer: the shared ones, the cell's registered name and (if it has one) projSize. */
export interface RecurrentLayerOptions extends RNNBaseOptions {
  /** The registered cell to run (see `cellNames()`), built in or defined with `defineCell`. */
  cell: CellName;
  /** Projection width for cells that support one (lstm); default 0. */
  projSize?: number;
}

const RECURRENT_LAYER_SCHEMA: OptionSchema = {
  ...LSTM_SCHEMA,
  cell: { type: "string", optional: false, doc: "registered cell name" },
};

/**
 * Any registered cell as a layer, with stacking, directions, batch-first, initial states and
 * dropout: fused when the backend runs the cell fused, else on the generic path.
 * `forward(x, state?)` takes and returns the typed state (`{ h }` or `{ h, c }`).
 */
export class RecurrentLayer extends RNNBase {
  constructor(opts: RecurrentLayerOptions) {
    const o = checkOptions<RecurrentLayerOptions>("RecurrentLayer", opts, RECURRENT_LAYER_SCHEMA);
    super(`RecurrentLayer(cell=${o.cell})`, o.cell, o);
  }

  override describe(): string {
    return `RecurrentLayer(cell=${this.cell}, hiddenSize=${this.hiddenSize})`;
  }

  override getConfig(): LayerConfig {
    const base: LayerConfig = { cell: this.cell, ...super.getConfig() };
    return this.projSize > 0 ? { ...base, projSize: this.projSize } : base;
  }

  forward(x: Tensor, state?: CellState | null, opts?: SequenceOptions): [Tensor, CellState] {
    return this.forwardState(x, state, opts);
  }
}


