/**
 * A recurrent language model over tokens, d2l's `RNNModel` (chapter "Concise Implementation of
 * Recurrent Neural Networks"): inputs one-hot encoded (or looked up in an embedding), one
 * recurrent layer stack, and a Linear layer from the hidden state to the vocabulary at every
 * step.
 *
 * Symbols: B batch, T time steps, V vocabulary size, E embedding width, H hidden size,
 * L layers, D directions.
 *
 * Parameter names follow d2l's PyTorch module ("rnn.weight_ih_l0", "linear.weight", ...), so a
 * state dict moves between the two as it is.
 */
import { Tensor } from "../../tensor/tensor.js";
import { oneHot } from "../../tensor/create.js";
import { Module, requirePositiveInt } from "../../nn/module.js";
import { Embedding } from "../../nn/layers/embedding.js";
import { Linear } from "../../nn/layers/linear.js";
import { GRU, LayerNormLSTM, LSTM, PeepholeLSTM, RNN } from "../../nn/layers/rnn.js";
import type { RNNBaseOptions } from "../../nn/layers/rnn-base.js";
import type { CellName } from "../../nn/cells/spec.js";
import { CELL_KINDS, type CellKind } from "./schema.js";

/** The recurrent layer of each char-LM cell. */
export type RNNLMLayer = RNN | GRU | LSTM | PeepholeLSTM | LayerNormLSTM;

const LAYERS: Readonly<Record<CellKind, (opts: RNNBaseOptions) => RNNLMLayer>> = {
  rnn: (o) => new RNN(o),
  gru: (o) => new GRU(o),
  lstm: (o) => new LSTM(o),
  peephole_lstm: (o) => new PeepholeLSTM(o),
  layernorm_lstm: (o) => new LayerNormLSTM(o),
};

/** The registered cell (src/nn/cells/registry.ts) a char-LM cell runs: "rnn" is "rnn_tanh", the others their own name. */
export function registeredCellName(cell: CellKind): CellName {
  return cell === "rnn" ? "rnn_tanh" : cell;
}

export interface RNNLMOptions {
  /** Vocabulary size V (input classes and output logits). Required. */
  vocabSize: number;
  /** Recurrent cell: "rnn" (tanh), "gru", "lstm", "peephole_lstm" or "layernorm_lstm". Required. */
  cell: CellKind;
  /** Hidden units H per layer and direction. Required. */
  hiddenSize: number;
  /** Stacked layers L. Default 1. */
  numLayers?: number;
  /** Read the sequence both ways; the Linear layer then reads 2H features. Default false. */
  bidirectional?: boolean;
  /** Embedding width E; 0 feeds one-hot vectors of width V instead, as the book does. Default 0. */
  embedSize?: number;
}

/** The recurrent state carried between calls: h (L·D, B, H), and c of the same shape for the LSTMs. */
export interface RNNLMState {
  h: Tensor;
  c: Tensor | null;
}

/**
 * Reorders a row-major (B, T) block of token indices to time-major (T, B): `out[t·B + b] =
 * x[b·T + t]`. The model runs time-major, so its logits row t·B + b belongs to target y[b, t];
 * passing the targets through this function is d2l's `Y.T.reshape(-1)`.
 */
export function timeMajor(indices: Int32Array, batchSize: number, numSteps: number): Int32Array {
  if (indices.length !== batchSize * numSteps) {
    throw new Error(`timeMajor: ${indices.length} indices do not fill (B, T) = (${batchSize}, ${numSteps})`);
  }
  const out = new Int32Array(indices.length);
  for (let b = 0; b < batchSize; b++) {
    for (let t = 0; t < numSteps; t++) out[t * batchSize + b] = indices[b * numSteps + t]!;
  }
  return out;
}

export class RNNLM extends Module {
  readonly vocabSize: number;
  readonly cell: CellKind;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly embedSize: number;
  readonly embedding: Embedding | null;
  readonly rnn: RNNLMLayer;
  readonly linear: Linear;

  constructor(opts: RNNLMOptions) {
    super();
    const where = "RNNLM";
    requirePositiveInt(where, "vocabSize", opts.vocabSize);
    requirePositiveInt(where, "hiddenSize", opts.hiddenSize);
    if (!CELL_KINDS.includes(opts.cell)) throw new Error(`${where}: cell must be one of ${CELL_KINDS.map((c) => JSON.stringify(c)).join(", ")}, got ${JSON.stringify(opts.cell)}`);
    const embedSize = opts.embedSize ?? 0;
    if (!Number.isInteger(embedSize) || embedSize < 0) throw new Error(`${where}: embedSize must be a non-negative integer, got ${embedSize}`);
    this.vocabSize = opts.vocabSize;
    this.cell = opts.cell;
    this.hiddenSize = opts.hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    requirePositiveInt(where, "numLayers", this.numLayers);
    this.bidirectional = opts.bidirectional ?? false;
    this.embedSize = embedSize;

    // Registration order fixes parameter order, and so the order of initial random draws.
    this.embedding = embedSize > 0 ? this.registerModule("embedding", new Embedding({ numEmbeddings: this.vocabSize, embeddingDim: embedSize })) : null;
    const rnnOpts = {
      inputSize: embedSize > 0 ? embedSize : this.vocabSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
    };
    this.rnn = this.registerModule("rnn", LAYERS[opts.cell](rnnOpts));
    this.linear = this.registerModule("linear", new Linear({ inFeatures: this.hiddenSize * this.numDirections, outFeatures: this.vocabSize }));
  }

  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  override describe(): string {
    return `RNNLM(cell=${this.cell}, hiddenSize=${this.hiddenSize}, vocabSize=${this.vocabSize})`;
  }

  /** True when the cell carries a cell state c beside h (the three LSTMs). */
  get hasCellState(): boolean {
    return this.rnn.spec.states.length === 2;
  }

  /** Zero state for a batch of `batchSize` rows: h, and c for the LSTMs, each (L·D, B, H). */
  beginState(batchSize: number): RNNLMState {
    requirePositiveInt(`${this.describe()}.beginState`, "batchSize", batchSize);
    const shape = [this.numLayers * this.numDirections, batchSize, this.hiddenSize];
    const n = shape[0]! * batchSize * this.hiddenSize;
    return {
      h: new Tensor(new Float32Array(n), shape),
      c: this.hasCellState ? new Tensor(new Float32Array(n), shape) : null,
    };
  }

  /**
   * Runs `indices`, a row-major (B, T) block of token ids, from `state` (zeros when omitted).
   * Returns logits (T·B, V), time-major: row t·B + b scores the token after `indices[b, t]`,
   * so the matching targets are `timeMajor(y, B, T)`; and the state after the last step.
   */
  forward(indices: Int32Array, shape: readonly [number, number], state?: RNNLMState | null): [Tensor, RNNLMState] {
    const where = `${this.describe()}.forward`;
    const [B, T] = shape;
    requirePositiveInt(where, "batch size B", B);
    requirePositiveInt(where, "time steps T", T);
    if (indices.length !== B * T) throw new Error(`${where}: ${indices.length} indices do not fill (B, T) = (${B}, ${T})`);
    const tm = timeMajor(indices, B, T);
    for (let i = 0; i < tm.length; i++) {
      const v = tm[i]!;
      if (v < 0 || v >= this.vocabSize) throw new Error(`${where}: token index ${v} is outside [0, ${this.vocabSize})`);
    }
    const x = this.embedding !== null ? this.embedding.forward(tm, [T, B]) : oneHot(tm, this.vocabSize, [T, B]); // (T, B, E or V)
    const s = state ?? this.beginState(B);
    let out: Tensor; // (T, B, D·H)
    let next: RNNLMState;
    if (this.rnn instanceof RNN || this.rnn instanceof GRU) {
      const [y, h] = this.rnn.forward(x, s.h);
      out = y;
      next = { h, c: null };
    } else {
      if (s.c === null) throw new Error(`${where}: the ${this.cell} state needs c, got only h`);
      const [y, [h, c]] = this.rnn.forward(x, [s.h, s.c]);
      out = y;
      next = { h, c };
    }
    const logits = this.linear.forward(out.reshape([T * B, this.hiddenSize * this.numDirections])); // (T·B, V)
    return [logits, next];
  }
}

/** The same state cut from the tape, so backward stops at the batch boundary (truncated BPTT). */
export function detachState(state: RNNLMState): RNNLMState {
  return { h: state.h.detach(), c: state.c === null ? null : state.c.detach() };
}
