/**
 * Text generation from a character language model, d2l's `predict_ch8`: the prefix warms the
 * state up (its characters are fed in, their predictions ignored), then each emitted character
 * is fed back as the next input. Characters are chosen greedily (temperature 0, the book's
 * choice) or sampled from softmax(logits / temperature), optionally among the k most likely.
 */
import { noGrad } from "../../autograd/mode.js";
import { Generator } from "../../tensor/random.js";
import type { Vocab } from "../../data/text/vocab.js";
import type { RNNLM, RNNLMState } from "./model.js";

export interface PredictOptions {
  /** Characters to emit after the prefix. Non-negative integer; default 50. */
  numPreds?: number;
  /** 0 picks the most likely character (greedy); a positive value samples from softmax(logits / temperature). Default 0. */
  temperature?: number;
  /** When sampling, only the k most likely characters are candidates; 0 means all. Default 0. */
  topK?: number;
  /** Where sampling draws from. Default: a fresh Generator seeded with 0, so the same call gives the same text. */
  generator?: Generator;
  /**
   * Called once, before generating, with the distinct prefix characters that are not in the
   * vocabulary (they are fed in as <unk>). Default: none.
   */
  onUnknown?: (chars: string[]) => void;
}

export interface Prediction {
  /** The prefix as given followed by the continuation. */
  text: string;
  prefix: string;
  /** The emitted characters. */
  continuation: string;
  /** Distinct prefix characters that were read as <unk>. */
  unknown: string[];
}

/** Picks the next token from logits (V), greedily or by sampling; see PredictOptions. */
export function chooseToken(logits: Float32Array, temperature: number, topK: number, generator: Generator): number {
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  const order = Array.from(logits.keys());
  let candidates = order;
  if (topK > 0 && topK < logits.length) {
    // Stable sort: among equal logits the lower index ranks first, as in a greedy argmax.
    candidates = order.sort((a, b) => logits[b]! - logits[a]!).slice(0, topK);
  }
  let max = -Infinity;
  for (const i of candidates) max = Math.max(max, logits[i]! / temperature);
  const weights = candidates.map((i) => Math.exp(logits[i]! / temperature - max));
  const total = weights.reduce((s, w) => s + w, 0);
  let u = generator.uniform() * total;
  for (let k = 0; k < candidates.length; k++) {
    u -= weights[k]!;
    if (u < 0) return candidates[k]!;
  }
  return candidates[candidates.length - 1]!;
}

/** Generates `numPreds` characters after `prefix`; see the module comment. */
export function predict(model: RNNLM, vocab: Vocab, prefix: string, opts: PredictOptions = {}): Prediction {
  const where = "predict";
  const numPreds = opts.numPreds ?? 50;
  const temperature = opts.temperature ?? 0;
  const topK = opts.topK ?? 0;
  if (typeof prefix !== "string" || prefix.length === 0) throw new Error(`${where}: prefix must be a non-empty string, got ${JSON.stringify(prefix)}`);
  if (!Number.isInteger(numPreds) || numPreds < 0) throw new Error(`${where}: numPreds must be a non-negative integer, got ${numPreds}`);
  if (!(Number.isFinite(temperature) && temperature >= 0)) throw new Error(`${where}: temperature must be a finite number >= 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new Error(`${where}: topK must be a non-negative integer, got ${topK}`);
  if (vocab.length !== model.vocabSize) {
    throw new Error(`${where}: the vocabulary has ${vocab.length} tokens but the model was built for ${model.vocabSize}`);
  }
  const generator = opts.generator ?? new Generator(0);

  const chars = Array.from(prefix);
  const ids = Int32Array.from(chars, (ch) => vocab.indexOf(ch));
  const unknown = [...new Set(chars.filter((ch, i) => ids[i] === vocab.unk && ch !== vocab.idxToToken[vocab.unk]))];
  if (unknown.length > 0) opts.onUnknown?.(unknown);

  const wasTraining = model.training;
  model.eval();
  try {
    const emitted = noGrad(() => {
      let state: RNNLMState = model.beginState(1);
      if (ids.length > 1) [, state] = model.forward(ids.subarray(0, ids.length - 1), [1, ids.length - 1], state);
      let last = ids[ids.length - 1]!;
      const out: number[] = [];
      for (let i = 0; i < numPreds; i++) {
        const [logits, next] = model.forward(Int32Array.of(last), [1, 1], state);
        state = next;
        last = chooseToken(logits.data, temperature, topK, generator);
        out.push(last);
      }
      return out;
    });
    const continuation = vocab.toTokens(emitted).join("");
    return { text: prefix + continuation, prefix, continuation, unknown };
  } finally {
    model.train(wasTraining);
  }
}
