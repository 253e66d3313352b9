/**
 * Translation by a trained `Seq2Seq`: greedy and beam-search decoding, both by running the
 * decoder one step at a time (`decoder.forward` on T = 1 inputs, carrying its state).
 *
 * Greedy (d2l's `predict_step`): start from "<bos>", feed back the most likely token, stop at
 * "<eos>" or after `maxSteps` tokens. The result excludes "<eos>".
 *
 * Beam search (d2l 1.0, section "Beam Search"): keep the `beam` most likely prefixes. At each
 * step every live prefix is extended by every token, and the `beam` best extensions by total
 * log-probability are kept (ties: the earlier prefix, then the lower token id, which is how
 * greedy's argmax breaks ties). An extension ending in "<eos>" leaves the beam as a finished
 * candidate and the others are the next step's prefixes; decoding stops when none is left or
 * after `maxSteps` tokens. The answer is the candidate (finished, or live at the end) with the highest
 *
 *   score = log P(y_1..y_L | x) / L^α
 *
 * where L counts the candidate's tokens including its "<eos>" (d2l's length normalisation,
 * α = `lengthPenalty`, 0.75 in the book; α = 0 ranks by log-probability alone). With beam = 1 the
 * single prefix always takes the best token, so the result is greedy's.
 */
import { noGrad } from "../../autograd/mode.js";
import { Tensor } from "../../tensor/tensor.js";
import { Seq2SeqAttentionDecoder, type DecoderState, type Seq2Seq } from "./model.js";

export interface DecodeOptions {
  /** Id of "<bos>" in the target vocabulary. */
  bos: number;
  /** Id of "<eos>" in the target vocabulary. */
  eos: number;
  /** Most tokens generated per sentence. */
  maxSteps: number;
  /** Beam width; 1 is greedy. Default 1. */
  beam?: number;
  /** α of the length normalisation of beam search. Default 0.75. */
  lengthPenalty?: number;
}

/** Source sentences as the encoder reads them: ids (N, T) row-major and valid lengths (N). */
export interface SourceBatch {
  ids: Int32Array;
  lengths: Int32Array;
  numSteps: number;
}

/** Rows `rows` of `t` along `dim` (a copy, no gradient): reorders states when beams move. */
export function takeRows(t: Tensor, dim: number, rows: readonly number[]): Tensor {
  const shape = [...t.shape];
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const n = shape[dim]!;
  const out = new Float32Array(outer * rows.length * inner);
  for (let o = 0; o < outer; o++) {
    rows.forEach((r, j) => out.set(t.data.subarray((o * n + r) * inner, (o * n + r + 1) * inner), (o * rows.length + j) * inner));
  }
  shape[dim] = rows.length;
  return new Tensor(out, shape);
}

function reorder(state: DecoderState, rows: readonly number[]): DecoderState {
  return { hidden: takeRows(state.hidden, 1, rows), memory: takeRows(state.memory, 0, rows), lengths: Int32Array.from(rows, (r) => state.lengths[r]!) };
}

/** The encoder's input for sentences `from..to-1` of `src`: ids (T, B) time-major. */
function encode(model: Seq2Seq, src: SourceBatch, from: number, to: number): DecoderState {
  const T = src.numSteps;
  const B = to - from;
  const ids = new Float32Array(T * B);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) ids[t * B + b] = src.ids[(from + b) * T + t]!;
  return model.decoder.init(model.encoder.forward(new Tensor(ids, [T, B]), src.lengths.slice(from, to)));
}

/** One decoder step for B prefixes ending in `tokens` (B): logits (B, V) and the next state. */
function stepLogits(model: Seq2Seq, tokens: readonly number[], state: DecoderState): [Float32Array, DecoderState] {
  const [logits, next] = model.decoder.forward(new Tensor(Float32Array.from(tokens), [1, tokens.length]), state);
  return [logits.data, next];
}

function checkOptions(where: string, opts: DecodeOptions): { beam: number; alpha: number } {
  const beam = opts.beam ?? 1;
  const alpha = opts.lengthPenalty ?? 0.75;
  if (!(Number.isInteger(opts.maxSteps) && opts.maxSteps >= 1)) throw new Error(`${where}: maxSteps must be a positive integer, got ${String(opts.maxSteps)}`);
  if (!(Number.isInteger(beam) && beam >= 1)) throw new Error(`${where}: beam must be a positive integer, got ${String(opts.beam)}`);
  if (!(Number.isFinite(alpha) && alpha >= 0)) throw new Error(`${where}: lengthPenalty must be a non-negative number, got ${String(opts.lengthPenalty)}`);
  return { beam, alpha };
}

/** Greedy translations of every sentence of `src` (token ids without "<eos>"), `batch` sentences at a time. */
export function greedyDecode(model: Seq2Seq, src: SourceBatch, opts: DecodeOptions, batch = 256): number[][] {
  checkOptions("greedyDecode", opts);
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`greedyDecode: batch must be a positive integer, got ${String(batch)}`);
  const N = src.lengths.length;
  const out: number[][] = [];
  inference(model, () => {
    for (let from = 0; from < N; from += batch) {
      const to = Math.min(N, from + batch);
      const B = to - from;
      let state = encode(model, src, from, to);
      let tokens = new Array<number>(B).fill(opts.bos);
      const seqs: number[][] = Array.from({ length: B }, () => []);
      const done = new Array<boolean>(B).fill(false);
      for (let s = 0; s < opts.maxSteps && done.some((d) => !d); s++) {
        const [logits, next] = stepLogits(model, tokens, state);
        state = next;
        const V = logits.length / B;
        tokens = tokens.map((_, b) => argmaxRow(logits, b * V, V));
        tokens.forEach((tok, b) => {
          if (done[b]) return;
          if (tok === opts.eos) done[b] = true;
          else seqs[b]!.push(tok);
        });
      }
      out.push(...seqs);
    }
  });
  return out;
}

/** Runs `fn` without the tape and with dropout off, restoring the model's mode afterwards. */
function inference(model: Seq2Seq, fn: () => void): void {
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(fn);
  } finally {
    model.train(wasTraining);
  }
}

function argmaxRow(x: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let v = 1; v < n; v++) if (x[offset + v]! > x[offset + best]!) best = v;
  return best;
}

interface Candidate {
  tokens: number[];
  logp: number;
  /** Tokens scored by the length normalisation ("<eos>" included when finished). */
  length: number;
}

/** Beam-search translations of every sentence of `src` (see the module comment); beam 1 is greedy. */
export function beamDecode(model: Seq2Seq, src: SourceBatch, opts: DecodeOptions): number[][] {
  const { beam, alpha } = checkOptions("beamDecode", opts);
  const N = src.lengths.length;
  const out: number[][] = [];
  inference(model, () => {
    for (let n = 0; n < N; n++) out.push(beamOne(model, encode(model, src, n, n + 1), opts, beam, alpha));
  });
  return out;
}

function beamOne(model: Seq2Seq, start: DecoderState, opts: DecodeOptions, beam: number, alpha: number): number[] {
  let live: Candidate[] = [{ tokens: [], logp: 0, length: 0 }];
  let state = start;
  const finished: Candidate[] = [];
  for (let s = 0; s < opts.maxSteps && live.length > 0; s++) {
    const [logits, next] = stepLogits(model, live.map((c) => c.tokens[c.tokens.length - 1] ?? opts.bos), state);
    const V = logits.length / live.length;
    // Every extension's total log-probability, in float64 so that the order of the logits is kept.
    const ext: { parent: number; token: number; logp: number }[] = [];
    live.forEach((c, i) => {
      const row = logits.subarray(i * V, (i + 1) * V);
      let max = -Infinity;
      for (const v of row) max = Math.max(max, v);
      let sum = 0;
      for (const v of row) sum += Math.exp(v - max);
      const lse = max + Math.log(sum);
      for (let v = 0; v < V; v++) ext.push({ parent: i, token: v, logp: c.logp + row[v]! - lse });
    });
    // Stable sort: equal scores keep (parent, token) order.
    ext.sort((a, b) => b.logp - a.logp);
    const kept = ext.slice(0, beam);
    const parents: number[] = [];
    const nextLive: Candidate[] = [];
    for (const e of kept) {
      const parent = live[e.parent]!;
      if (e.token === opts.eos) finished.push({ tokens: parent.tokens, logp: e.logp, length: parent.tokens.length + 1 });
      else {
        nextLive.push({ tokens: [...parent.tokens, e.token], logp: e.logp, length: parent.tokens.length + 1 });
        parents.push(e.parent);
      }
    }
    live = nextLive;
    if (live.length > 0) state = reorder(next, parents);
  }
  let best: Candidate | null = null;
  let bestScore = -Infinity;
  for (const c of [...finished, ...live]) {
    const score = c.length === 0 ? c.logp : c.logp / Math.pow(c.length, alpha);
    if (best === null || score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best?.tokens ?? [];
}

/**
 * Greedy translation of the first sentence of `src` by a model with the attention decoder,
 * with the attention weights of every step: `weights[i][j]` is how much output token i (the
 * last one being "<eos>" when it was reached) drew on source token j (up to the valid length).
 */
export function greedyWithAttention(model: Seq2Seq, src: SourceBatch, opts: DecodeOptions): { tokens: number[]; weights: number[][] } {
  checkOptions("greedyWithAttention", opts);
  const decoder = model.decoder;
  if (!(decoder instanceof Seq2SeqAttentionDecoder)) throw new Error(`greedyWithAttention: ${model.describe()} has no attention decoder (train with --attention)`);
  const tokens: number[] = [];
  const weights: number[][] = [];
  inference(model, () => {
    let state = encode(model, src, 0, 1);
    let token = opts.bos;
    for (let s = 0; s < opts.maxSteps; s++) {
      const [logits, next] = stepLogits(model, [token], state);
      state = next;
      weights.push(Array.from(decoder.lastWeights[0]?.data.subarray(0, src.lengths[0]) ?? []));
      token = argmaxRow(logits, 0, logits.length);
      if (token === opts.eos) break;
      tokens.push(token);
    }
  });
  return { tokens, weights };
}
