/**
 * The standard benchmark workloads, shared by every runner (ours, TF.js) and mirrored in
 * peers/torch_bench.py (a test checks the two tables agree).
 *
 * Symbols: T time steps, B batch, I input size, H hidden size, D directions, L layers.
 * All tensors are float32. Inputs are one-hot of width 28 where a width is needed; training is
 * plain SGD with lr 0.1 from a zero initial state each step (full BPTT over all T steps), except
 * W7, which trains as the translation task does (Adam; see Seq2SeqSpec).
 */

/** Which recurrent cell a workload runs. `rnn` is the tanh RNN. */
export type CellKind = "lstm" | "gru" | "rnn";

/** What the workload's number means. */
export type Metric = "tokens/s" | "steps/s" | "ms/seq" | "seq/s";

/** The loss a training workload minimises; `none` for inference. */
export type LossKind = "cross-entropy" | "mse" | "none";

export interface Workload {
  /** Stable id used by `--only` and in every output line, e.g. `W2-gru`. */
  id: string;
  /** One line for the README and the table footer. */
  title: string;
  cell: CellKind;
  /** I: features per time step. */
  inputSize: number;
  /** H: hidden units per direction. */
  hiddenSize: number;
  /** L: stacked layers. */
  numLayers: number;
  /** D = 2 when true; the dense layer then sees 2H features. */
  bidirectional: boolean;
  /** B. */
  batch: number;
  /** T. */
  seqLen: number;
  /** Width of the dense layer applied to every time step's output; 0 means no dense layer. */
  outputSize: number;
  loss: LossKind;
  /** True: forward, loss, backward, SGD update. False: forward only, no gradient tape. */
  training: boolean;
  metric: Metric;
  /** False for latency metrics (ms/seq), where the ratio is inverted so that > 1 means ours wins. */
  higherIsBetter: boolean;
  /**
   * Present for a masked sequence classifier: token ids (0 = padding) through an embedding of
   * `inputSize` features, sequences of maskedLengths(w) real tokens padded to T, the recurrent
   * layer run with those lengths, and the dense layer on the final hidden states (D*H features,
   * both directions) to `outputSize` classes. Its tokens/s counts real tokens only.
   */
  masked?: MaskedSpec;
  /**
   * Present for the encoder–decoder (W7): the translation task's `Seq2Seq` with E = inputSize,
   * H = hiddenSize and L = numLayers in both GRUs, target vocabulary = outputSize. Each pair's
   * source and target both hold maskedLengths(w) real tokens (the target's last is "<eos>"),
   * padded to T with id 0; its tokens/s counts real target tokens only.
   */
  seq2seq?: Seq2SeqSpec;
}

/** The vocabulary and the shortest sequence of a masked workload (the longest is T). */
export interface MaskedSpec {
  /** Token ids 1 .. vocab - 1; id 0 pads. */
  vocab: number;
  minLen: number;
}

/**
 * What the encoder–decoder workload adds to the table's fields; the values are the translation
 * task's defaults (src/tasks/seq2seq/schema.ts) and its fra-eng vocabularies.
 */
export interface Seq2SeqSpec {
  /** Source token ids 1 .. sourceVocab - 1 (target ids 1 .. outputSize - 1); id 0 pads. */
  sourceVocab: number;
  /** The shortest source and target, in tokens with "<eos>" (the longest is T). */
  minLen: number;
  /** Dropout between the GRU layers of both sides, as the task trains. */
  dropout: number;
  /** Adam's learning rate: the task trains with Adam, not with the other workloads' SGD. */
  lr: number;
}

const charLm = { inputSize: 28, batch: 32, seqLen: 35, outputSize: 28, loss: "cross-entropy", training: true, metric: "tokens/s", higherIsBetter: true } as const;
const inference = { cell: "lstm", inputSize: 28, hiddenSize: 256, numLayers: 1, bidirectional: false, seqLen: 100, outputSize: 0, loss: "none", training: false } as const;

export const WORKLOADS: readonly Workload[] = [
  { id: "W1", title: "char-LM training step, LSTM H=256, B=32, T=35, dense to 28 classes, cross-entropy, SGD", cell: "lstm", hiddenSize: 256, numLayers: 1, bidirectional: false, ...charLm },
  { id: "W2-gru", title: "W1 with a GRU H=256", cell: "gru", hiddenSize: 256, numLayers: 1, bidirectional: false, ...charLm },
  { id: "W2-rnn", title: "W1 with a tanh RNN H=256", cell: "rnn", hiddenSize: 256, numLayers: 1, bidirectional: false, ...charLm },
  { id: "W3-lstm2", title: "W1 with a 2-layer LSTM H=256", cell: "lstm", hiddenSize: 256, numLayers: 2, bidirectional: false, ...charLm },
  { id: "W3-bilstm", title: "W1 with a bidirectional LSTM H=128 (dense sees 256)", cell: "lstm", hiddenSize: 128, numLayers: 1, bidirectional: true, ...charLm },
  { id: "W4-b1", title: "inference, no gradients: LSTM H=256, I=28, T=100, batch 1", batch: 1, metric: "ms/seq", higherIsBetter: false, ...inference },
  { id: "W4-b64", title: "inference, no gradients: LSTM H=256, I=28, T=100, batch 64", batch: 64, metric: "seq/s", higherIsBetter: true, ...inference },
  { id: "W5", title: "forecasting training step: LSTM H=64, I=1, T=50, B=64, dense H->1 on every step, MSE, SGD", cell: "lstm", inputSize: 1, hiddenSize: 64, numLayers: 1, bidirectional: false, batch: 64, seqLen: 50, outputSize: 1, loss: "mse", training: true, metric: "steps/s", higherIsBetter: true },
  { id: "W6", title: "masked classifier: embedding 64 + bidirectional LSTM H=128, B=64, lengths 10..60 padded to 60, dense on the final states to 2 classes, cross-entropy, SGD", cell: "lstm", inputSize: 64, hiddenSize: 128, numLayers: 1, bidirectional: true, batch: 64, seqLen: 60, outputSize: 2, loss: "cross-entropy", training: true, metric: "tokens/s", higherIsBetter: true, masked: { vocab: 5000, minLen: 10 } },
  { id: "W7", title: "seq2seq training step: the translation task's GRU encoder-decoder (embedding 256, 2-layer GRU H=256 each side, dropout 0.2, vocabularies 194/211), B=64, T=9, lengths 3..9, teacher forcing, masked cross-entropy, Adam lr 0.005", cell: "gru", inputSize: 256, hiddenSize: 256, numLayers: 2, bidirectional: false, batch: 64, seqLen: 9, outputSize: 211, loss: "cross-entropy", training: true, metric: "tokens/s", higherIsBetter: true, seq2seq: { sourceVocab: 194, minLen: 3, dropout: 0.2, lr: 0.005 } },
];

/**
 * The real length of each of a masked workload's B sequences: minLen + (37·b mod (T - minLen + 1)),
 * a fixed spread over [minLen, T] that every runner computes the same way (37 is prime to the
 * range's width, so B >= width sequences cover every length).
 */
export function maskedLengths(w: Workload): Int32Array {
  const minLen = (w.masked ?? w.seq2seq)?.minLen;
  if (minLen === undefined) throw new Error(`bench: workload ${w.id} is not a masked workload`);
  const width = w.seqLen - minLen + 1;
  return Int32Array.from({ length: w.batch }, (_, b) => minLen + ((37 * b) % width));
}

/** Tokens one step processes: B·T, or only the real ones (target tokens for W7) of a masked workload. */
export function tokensPerStep(w: Workload): number {
  return w.masked === undefined && w.seq2seq === undefined ? w.batch * w.seqLen : maskedLengths(w).reduce((a, b) => a + b, 0);
}

/** SGD's learning rate in every training workload but W7 (Adam at Seq2SeqSpec.lr). */
export const LEARNING_RATE = 0.1;

/** Width of the dense layer's input: D*H. */
export function denseInputSize(w: Workload): number {
  return (w.bidirectional ? 2 : 1) * w.hiddenSize;
}

/**
 * Selects workloads by id or by group prefix (`W4` selects `W4-b1` and `W4-b64`), keeping the
 * table's order. Null or empty selects all.
 */
export function selectWorkloads(only: readonly string[] | null): Workload[] {
  if (only === null || only.length === 0) return [...WORKLOADS];
  for (const name of only) {
    if (!WORKLOADS.some((w) => matches(w, name))) {
      throw new Error(`bench: --only names an unknown workload "${name}"; known: ${WORKLOADS.map((w) => w.id).join(", ")} (or a group: W1..W7)`);
    }
  }
  return WORKLOADS.filter((w) => only.some((name) => matches(w, name)));
}

function matches(w: Workload, name: string): boolean {
  const n = name.trim().toUpperCase();
  const id = w.id.toUpperCase();
  return id === n || id.startsWith(`${n}-`);
}

/** Converts the median seconds of one step into the workload's metric. */
export function metricValue(w: Workload, secondsPerStep: number): number {
  switch (w.metric) {
    case "tokens/s":
      return tokensPerStep(w) / secondsPerStep;
    case "steps/s":
      return 1 / secondsPerStep;
    case "ms/seq":
      return (secondsPerStep * 1000) / w.batch;
    case "seq/s":
      return w.batch / secondsPerStep;
  }
}

/** Gates per hidden unit: the G = gates·H columns of a cell's weights. */
const GATES: Record<CellKind, number> = { lstm: 4, gru: 3, rnn: 1 };
/**
 * Elementwise operations per hidden unit and time step in the forward gate math (activations
 * counted as one each): LSTM 3 sigmoids, 2 tanh, 3 multiplies, 2 adds; GRU 2 sigmoids, 1 tanh,
 * 3 multiplies, 3 adds; tanh RNN 1 add, 1 tanh. Backward counts twice as many.
 */
const GATE_OPS: Record<CellKind, number> = { lstm: 10, gru: 9, rnn: 2 };

/**
 * Floating-point operations of one step of a workload (a multiply-add counts 2), the numerator of
 * the efficiency column. With N the rows the recurrent layer runs (T·B, or the real tokens of a
 * masked workload), G = gates·H, and I_l the layer's input width (I, then D·H):
 *   forward, per layer and direction: 2·N·(I_l + H)·G (input and recurrent products) + GATE_OPS·N·H
 *   dense head: 2·R·(D·H)·O, R = T·B rows (one per sequence for a masked classifier)
 *   training adds the backward: twice the products (the data and weight gradients) and twice the
 *   gate math; the SGD update (3 per parameter) is included, the embedding lookup is not.
 */
export function flopsPerStep(w: Workload): number {
  if (w.seq2seq !== undefined) return seq2seqFlopsPerStep(w, w.seq2seq);
  const N = tokensPerStep(w);
  const D = w.bidirectional ? 2 : 1;
  const H = w.hiddenSize;
  const G = GATES[w.cell] * H;
  let forward = 0;
  let params = 0;
  for (let l = 0; l < w.numLayers; l++) {
    const I = l === 0 ? w.inputSize : D * H;
    forward += D * (2 * N * (I + H) * G + GATE_OPS[w.cell] * N * H);
    params += D * ((I + H) * G + 2 * G);
  }
  if (!w.training) return forward;
  const rows = w.masked === undefined ? w.batch * w.seqLen : w.batch;
  const dense = 2 * rows * D * H * w.outputSize;
  params += D * H * w.outputSize + w.outputSize;
  return 3 * (forward + dense) + 3 * params;
}

/**
 * Adam's operations per parameter: m (3: two multiplies, an add), v (4), sqrt(v)/√(bias
 * correction) + ε (3), the update p -= lr·m/denominator (3).
 */
const ADAM_OPS = 13;

/**
 * W7's FLOPs. The encoder counts the real source tokens only, Ns = Σ maskedLengths (as W6's
 * layer does: a length-aware encoder runs just those rows); the decoder runs every one of the
 * N = T·B rows under teacher forcing, and so does the head. With E = inputSize, Vs / Vt the
 * vocabularies (Vt = outputSize):
 *   encoder layers: I_0 = E, I_1.. = H, each 2·Ns·(I_l + H)·G + 9·Ns·H;
 *   decoder layers: I_0 = E + H (embedding and context), I_1.. = H, each 2·N·(I_l + H)·G + 9·N·H;
 *   the head 2·N·H·Vt; training three times that forward, plus ADAM_OPS per parameter (both
 *   embeddings included: Adam updates them whole). The lookups, the context's concatenation
 *   and the softmax are not counted.
 */
function seq2seqFlopsPerStep(w: Workload, spec: Seq2SeqSpec): number {
  const N = w.seqLen * w.batch;
  const { inputSize: E, hiddenSize: H, outputSize: Vt } = w;
  const G = GATES[w.cell] * H;
  let forward = 2 * N * H * Vt;
  let params = spec.sourceVocab * E + Vt * E + H * Vt + Vt;
  for (const [first, rows] of [[E, tokensPerStep(w)], [E + H, N]] as const) {
    for (let l = 0; l < w.numLayers; l++) {
      const I = l === 0 ? first : H;
      forward += 2 * rows * (I + H) * G + GATE_OPS[w.cell] * rows * H;
      params += (I + H) * G + 2 * G;
    }
  }
  return 3 * forward + ADAM_OPS * params;
}
