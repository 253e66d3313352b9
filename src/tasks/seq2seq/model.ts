/**
 * The RNN encoder–decoder of *Dive into Deep Learning* (d2l 1.0, PyTorch edition): section
 * "Sequence-to-Sequence Learning" (`Seq2SeqEncoder`, `Seq2SeqDecoder`, `Seq2Seq`) and section
 * "The Bahdanau Attention Mechanism" (`Seq2SeqAttentionDecoder`).
 *
 * Every tensor is time-major: token ids (T, B), sequences (T, B, ·), states (L, B, H).
 *
 * - Encoder: Embedding(Vs, E) -> GRU(E, H, L layers, dropout between layers). It reads each source
 *   up to its valid length (the GRU's `lengths`), so its final state is the state after "<eos>";
 *   d2l's encoder ignores the lengths and also reads the "<pad>" steps.
 * - Decoder (plain): the context c is the encoder's last-layer final state; every step reads
 *   [embedding(y_{t-1}); c] (E + H) into a GRU started from the encoder's final state (all
 *   layers), and a Linear(H, Vt) gives the logits.
 * - Decoder (attention): at every step the query is the decoder's last-layer hidden state from
 *   the previous step; additive attention over all encoder outputs (masked past the valid
 *   length) gives the context, and the GRU reads [context; embedding(y_{t-1})] (H + E).
 *
 * Initialisation as d2l's `init_seq2seq`: Xavier-uniform GRU weights (biases keep PyTorch's
 * U(±1/√H)); Embedding N(0, 1). d2l's output layer is a LazyLinear, which `init_seq2seq` does not
 * reach (it tests `type(module) == nn.Linear`), so it keeps PyTorch's default init, as here.
 */
import { concat, reshape, select, transpose, unsqueeze } from "../../autograd/ops/shape.js";
import { expand } from "../../autograd/ops/tile.js";
import { Embedding } from "../../nn/layers/embedding.js";
import { AdditiveAttention } from "../../nn/layers/attention.js";
import { Linear } from "../../nn/layers/linear.js";
import { GRU } from "../../nn/layers/rnn.js";
import { Module, type LayerConfig } from "../../nn/module.js";
import { describeArg } from "../../nn/options.js";
import { globalGenerator } from "../../tensor/random.js";
import { shapeStr } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";

export interface Seq2SeqOptions {
  /** Source vocabulary size. Required. */
  sourceVocab: number;
  /** Target vocabulary size. Required. */
  targetVocab: number;
  /** Embedding width E. Required. */
  embedSize: number;
  /** GRU width H (encoder and decoder). Required. */
  hiddenSize: number;
  /** Stacked GRU layers L (encoder and decoder). Required. */
  numLayers: number;
  /** Dropout between GRU layers (and on attention weights). Default 0. */
  dropout?: number;
  /** Use the Bahdanau attention decoder. Default false. */
  attention?: boolean;
}

/** What the encoder hands the decoder. */
export interface Encoded {
  /** Last-layer outputs (T, B, H), zero past each valid length. */
  outputs: Tensor;
  /** Final state of every layer (L, B, H). */
  state: Tensor;
  /** Valid source lengths (B). */
  lengths: Int32Array;
}

/** The decoder's carried state between calls (step-by-step decoding calls forward with T = 1). */
export interface DecoderState {
  /** GRU state (L, B, H). */
  hidden: Tensor;
  /** Plain decoder: the context (B, H). Attention decoder: the keys and values, encoder outputs (B, T, H). */
  memory: Tensor;
  /** Valid source lengths (B). */
  lengths: Int32Array;
}

/** Xavier-uniform fill of the GRU's weight matrices (d2l's `init_seq2seq`). */
function xavierGru(rnn: GRU): void {
  for (const [name, t] of Object.entries(rnn.stateDict())) {
    if (!name.startsWith("weight_")) continue;
    const [fanOut, fanIn] = t.shape as [number, number];
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < t.data.length; i++) t.data[i] = globalGenerator.uniformRange(-bound, bound);
  }
}

function checkIds(where: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor) || x.ndim !== 2) throw new Error(`${where}: ${name} must be token ids (T, B), got ${x instanceof Tensor ? shapeStr(x.shape) : describeArg(x)}`);
  return x;
}

export class Seq2SeqEncoder extends Module {
  readonly embedding: Embedding;
  readonly rnn: GRU;

  constructor(vocab: number, embedSize: number, hiddenSize: number, numLayers: number, dropout: number) {
    super();
    this.embedding = new Embedding({ numEmbeddings: vocab, embeddingDim: embedSize });
    this.rnn = new GRU({ inputSize: embedSize, hiddenSize, numLayers, dropout });
    xavierGru(this.rnn);
  }

  /** src (T, B) ids, lengths (B) -> outputs, final state and lengths. */
  forward(src: Tensor, lengths: Int32Array): Encoded {
    const x = checkIds(`${this.describe()}.forward`, "src", src);
    const [outputs, state] = this.rnn.forward(this.embedding.forward(x), null, { lengths });
    return { outputs, state, lengths };
  }
}

/** The two decoders' shared shape: start from the encoder, then map inputs (T, B) to logits (T, B, V). */
export interface Seq2SeqDecoderModule extends Module {
  init(enc: Encoded): DecoderState;
  forward(tgtIn: Tensor, state: DecoderState): [Tensor, DecoderState];
}

export class Seq2SeqDecoder extends Module implements Seq2SeqDecoderModule {
  readonly embedding: Embedding;
  readonly rnn: GRU;
  readonly dense: Linear;

  constructor(vocab: number, embedSize: number, hiddenSize: number, numLayers: number, dropout: number) {
    super();
    this.embedding = new Embedding({ numEmbeddings: vocab, embeddingDim: embedSize });
    this.rnn = new GRU({ inputSize: embedSize + hiddenSize, hiddenSize, numLayers, dropout });
    this.dense = new Linear({ inFeatures: hiddenSize, outFeatures: vocab });
    xavierGru(this.rnn);
  }

  init(enc: Encoded): DecoderState {
    return { hidden: enc.state, memory: select(enc.state, 0, enc.state.shape[0]! - 1), lengths: enc.lengths };
  }

  forward(tgtIn: Tensor, state: DecoderState): [Tensor, DecoderState] {
    const x = checkIds(`${this.describe()}.forward`, "tgtIn", tgtIn);
    const embs = this.embedding.forward(x); // (T, B, E)
    const [T, B] = x.shape as [number, number];
    const context = expand(unsqueeze(state.memory, 0), [T, B, state.memory.shape[1]!]);
    const [out, hidden] = this.rnn.forward(concat([embs, context], 2), state.hidden);
    return [this.dense.forward(out), { ...state, hidden }];
  }
}

export class Seq2SeqAttentionDecoder extends Module implements Seq2SeqDecoderModule {
  readonly attention: AdditiveAttention;
  readonly embedding: Embedding;
  readonly rnn: GRU;
  readonly dense: Linear;
  /** Attention weights (B, 1, T_src) of each step of the last forward, for plots. */
  lastWeights: Tensor[] = [];

  constructor(vocab: number, embedSize: number, hiddenSize: number, numLayers: number, dropout: number) {
    super();
    this.attention = new AdditiveAttention({ querySize: hiddenSize, keySize: hiddenSize, hiddenSize, dropout });
    this.embedding = new Embedding({ numEmbeddings: vocab, embeddingDim: embedSize });
    this.rnn = new GRU({ inputSize: embedSize + hiddenSize, hiddenSize, numLayers, dropout });
    this.dense = new Linear({ inFeatures: hiddenSize, outFeatures: vocab });
    xavierGru(this.rnn);
  }

  init(enc: Encoded): DecoderState {
    return { hidden: enc.state, memory: transpose(enc.outputs, 0, 1), lengths: enc.lengths };
  }

  /** One GRU call per step: the query of step t is the hidden state step t-1 produced. */
  forward(tgtIn: Tensor, state: DecoderState): [Tensor, DecoderState] {
    const x = checkIds(`${this.describe()}.forward`, "tgtIn", tgtIn);
    const embs = this.embedding.forward(x); // (T, B, E)
    const [T, B] = x.shape as [number, number];
    const L = state.hidden.shape[0]!;
    let hidden = state.hidden;
    const outs: Tensor[] = [];
    this.lastWeights = [];
    for (let t = 0; t < T; t++) {
      const query = unsqueeze(select(hidden, 0, L - 1), 1); // (B, 1, H)
      const context = this.attention.forward(query, state.memory, state.memory, state.lengths); // (B, 1, H)
      if (this.attention.attentionWeights !== null) this.lastWeights.push(this.attention.attentionWeights);
      const step = concat([reshape(context, [1, B, context.shape[2]!]), unsqueeze(select(embs, 0, t), 0)], 2); // (1, B, H + E)
      let out: Tensor;
      [out, hidden] = this.rnn.forward(step, hidden);
      outs.push(out);
    }
    return [this.dense.forward(T === 1 ? outs[0]! : concat(outs, 0)), { ...state, hidden }];
  }
}

/** Encoder and decoder; `forward(src, lengths, tgtIn)` gives the teacher-forced logits (T, B, Vt). */
export class Seq2Seq extends Module {
  readonly encoder: Seq2SeqEncoder;
  readonly decoder: Seq2SeqDecoderModule;
  readonly opts: Required<Seq2SeqOptions>;

  constructor(opts: Seq2SeqOptions) {
    super();
    for (const k of ["sourceVocab", "targetVocab", "embedSize", "hiddenSize", "numLayers"] as const) {
      const v = opts[k];
      if (!(Number.isInteger(v) && v >= 1)) throw new Error(`Seq2Seq: ${k} must be a positive integer, got ${describeArg(v)}`);
    }
    const dropout = opts.dropout ?? 0;
    if (!(dropout >= 0 && dropout < 1)) throw new Error(`Seq2Seq: dropout must be in [0, 1), got ${describeArg(opts.dropout)}`);
    this.opts = { ...opts, dropout, attention: opts.attention ?? false };
    const { embedSize: E, hiddenSize: H, numLayers: L } = opts;
    this.encoder = new Seq2SeqEncoder(opts.sourceVocab, E, H, L, dropout);
    this.decoder = this.opts.attention ? new Seq2SeqAttentionDecoder(opts.targetVocab, E, H, L, dropout) : new Seq2SeqDecoder(opts.targetVocab, E, H, L, dropout);
  }

  override describe(): string {
    return `Seq2Seq(${this.opts.attention ? "attention, " : ""}hiddenSize=${this.opts.hiddenSize}, numLayers=${this.opts.numLayers})`;
  }

  override getConfig(): LayerConfig {
    return { ...this.opts };
  }

  forward(src: Tensor, lengths: Int32Array, tgtIn: Tensor): Tensor {
    const [logits] = this.decoder.forward(tgtIn, this.decoder.init(this.encoder.forward(src, lengths)));
    return logits;
  }
}
