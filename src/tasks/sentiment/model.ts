/**
 * The sentence classifier: token ids (B, T) are looked up in an embedding (B, T, E), read by a
 * recurrent layer with each sentence's length (B, T, D·H; padding steps never enter the state),
 * and the final state of the last layer (each sequence's last real step; for a bidirectional
 * layer the forward direction's last step and the backward direction's first, concatenated) goes
 * through dropout to a linear layer giving two logits (B, 2).
 *
 * Symbols: B batch, T longest sentence of the batch, V vocabulary, E embedding width, H hidden
 * size, D directions, L layers.
 */
import { concat, select } from "../../autograd/ops/shape.js";
import { Dropout } from "../../nn/layers/dropout.js";
import { Embedding } from "../../nn/layers/embedding.js";
import { Linear } from "../../nn/layers/linear.js";
import { GRU, LSTM } from "../../nn/layers/rnn.js";
import { Module, type LayerConfig } from "../../nn/module.js";
import { describeArg } from "../../nn/options.js";
import type { LengthsInput } from "../../nn/utils/sequence-options.js";
import { shapeStr } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";

/** The recurrent models: an LSTM, a GRU, and a bidirectional LSTM. */
export type SentimentModelKind = "lstm" | "gru" | "bilstm";
export const SENTIMENT_MODELS: readonly SentimentModelKind[] = ["lstm", "gru", "bilstm"];

export interface SentimentClassifierOptions {
  kind: SentimentModelKind;
  /** Vocabulary size V. */
  vocabSize: number;
  /** Index of `<pad>`: its embedding row stays zero and gets no gradient. */
  padIndex: number;
  /** Embedding width E. */
  embedSize: number;
  /** Hidden units H per direction. */
  hiddenSize: number;
  /** Stacked recurrent layers L. Default 1. */
  numLayers?: number;
  /** Dropout on the embeddings and on the final state, in training mode. Default 0. */
  dropout?: number;
}

export class SentimentClassifier extends Module {
  readonly kind: SentimentModelKind;
  readonly embedding: Embedding;
  readonly rnn: LSTM | GRU;
  readonly drop: Dropout;
  readonly head: Linear;
  private readonly opts: SentimentClassifierOptions;

  constructor(opts: SentimentClassifierOptions) {
    super();
    if (!SENTIMENT_MODELS.includes(opts.kind)) throw new Error(`SentimentClassifier: kind must be one of ${SENTIMENT_MODELS.join(", ")}, got ${describeArg(opts.kind)}`);
    this.opts = opts;
    this.kind = opts.kind;
    // Registration order fixes the order of the initial random draws: embedding, rnn, head.
    this.embedding = this.registerModule("embedding", new Embedding({ numEmbeddings: opts.vocabSize, embeddingDim: opts.embedSize, paddingIdx: opts.padIndex }));
    const rnnOpts = { inputSize: opts.embedSize, hiddenSize: opts.hiddenSize, numLayers: opts.numLayers ?? 1, batchFirst: true, bidirectional: opts.kind === "bilstm" };
    this.rnn = this.registerModule("rnn", opts.kind === "gru" ? new GRU(rnnOpts) : new LSTM(rnnOpts));
    this.drop = this.registerModule("drop", new Dropout(opts.dropout ?? 0));
    this.head = this.registerModule("head", new Linear({ inFeatures: opts.hiddenSize * this.rnn.numDirections, outFeatures: 2 }));
  }

  override describe(): string {
    return `SentimentClassifier(${this.kind}, embedSize=${this.opts.embedSize}, hiddenSize=${this.opts.hiddenSize})`;
  }

  override getConfig(): LayerConfig {
    const { kind, vocabSize, padIndex, embedSize, hiddenSize } = this.opts;
    return { kind, vocabSize, padIndex, embedSize, hiddenSize, numLayers: this.rnn.numLayers, dropout: this.opts.dropout ?? 0 };
  }

  /** ids (B, T) of token ids, `lengths` (B) the real tokens of each row -> logits (B, 2). */
  forward(ids: Tensor, lengths: LengthsInput): Tensor {
    if (!(ids instanceof Tensor) || ids.ndim !== 2) {
      throw new Error(`${this.describe()}.forward: ids must be (B, T) token ids, got ${ids instanceof Tensor ? shapeStr(ids.shape) : describeArg(ids)}`);
    }
    const x = this.drop.forward(this.embedding.forward(ids)); // (B, T, E)
    const hN = this.finalStates(x, lengths); // (L·D, B, H)
    const D = this.rnn.numDirections;
    const top = hN.shape[0]! - D;
    const last = D === 1 ? select(hN, 0, top) : concat([select(hN, 0, top), select(hN, 0, top + 1)], 1); // (B, D·H)
    return this.head.forward(this.drop.forward(last));
  }

  private finalStates(x: Tensor, lengths: LengthsInput): Tensor {
    if (this.rnn instanceof GRU) return this.rnn.forward(x, null, { lengths })[1];
    return this.rnn.forward(x, null, { lengths })[1].h;
  }
}
