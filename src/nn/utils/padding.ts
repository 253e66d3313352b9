/**
 * Padding helpers: Keras's `pad_sequences` (lists of ids or feature vectors to one array) and
 * PyTorch's `pad_sequence` (tensors of different lengths to one differentiable tensor).
 *
 * Symbols: N sequences, L the padded length, F features per step.
 */
import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { add } from "../../autograd/ops/elementwise.js";
import { concat, reshape } from "../../autograd/ops/shape.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";
import { gatherRows } from "./gather-rows.js";

/** Options of padSequences (Keras's names and defaults). */
export interface PadSequencesOptions {
  /** Padded length L; default the longest sequence's length. */
  maxlen?: number;
  /** Pad before ("pre", Keras's default) or after ("post") each sequence. */
  padding?: "pre" | "post";
  /** Cut sequences longer than maxlen at the start ("pre", default) or the end ("post"). */
  truncating?: "pre" | "post";
  /** The padding value. Default 0. */
  value?: number;
}

const PAD_SEQUENCES_OPTIONS: OptionSchema = {
  maxlen: { type: "integer", min: 0, doc: "padded length, default the longest" },
  padding: { type: "enum", values: ["pre", "post"], doc: 'pad before or after, default "pre"' },
  truncating: { type: "enum", values: ["pre", "post"], doc: 'cut at the start or the end, default "pre"' },
  value: { type: "number", doc: "padding value, default 0" },
};

/** One step of a sequence: an id or value, or a feature vector (F). */
export type SequenceStep = number | readonly number[];

/**
 * Keras's `pad_sequences`: N sequences of steps (numbers, or feature vectors of one width F) to
 * a tensor (N, L) or (N, L, F), padded and truncated as `opts` says. Returns the tensor and each
 * sequence's kept length (N), ready for a recurrent layer's `{ lengths }` when padding is "post".
 */
export function padSequences(sequences: readonly (readonly SequenceStep[])[], opts: PadSequencesOptions = {}): { padded: Tensor; lengths: Int32Array } {
  const where = "padSequences";
  const o = checkOptions<PadSequencesOptions>(where, opts, PAD_SEQUENCES_OPTIONS);
  if (!Array.isArray(sequences)) throw new Error(`${where}: sequences must be an array of arrays, got ${describeArg(sequences)}`);
  const N = sequences.length;
  let F = 0; // 0: scalar steps
  sequences.forEach((seq, i) => {
    if (!Array.isArray(seq)) throw new Error(`${where}: sequences[${i}] must be an array, got ${describeArg(seq)}`);
    seq.forEach((step: SequenceStep, t: number) => {
      const width = typeof step === "number" ? 0 : Array.isArray(step) ? step.length : -1;
      if (width < 0 || (width === 0 && typeof step !== "number")) throw new Error(`${where}: sequences[${i}][${t}] must be a number or a non-empty array of numbers, got ${describeArg(step)}`);
      if (F === 0 && width > 0 && i === 0 && t === 0) F = width;
      if (width !== F) throw new Error(`${where}: sequences[${i}][${t}] has ${width === 0 ? "a number" : `${width} features`}, but the first step has ${F === 0 ? "a number" : `${F} features`}`);
    });
  });
  const L = o.maxlen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  const W = Math.max(F, 1);
  const value = o.value ?? 0;
  const data = new Float32Array(N * L * W).fill(value);
  const lengths = new Int32Array(N);
  sequences.forEach((seq, i) => {
    const n = Math.min(seq.length, L);
    const from = o.truncating === "post" ? 0 : seq.length - n;
    const to = o.padding === "post" ? 0 : L - n;
    for (let k = 0; k < n; k++) {
      const step = seq[from + k]!;
      const at = (i * L + to + k) * W;
      if (typeof step === "number") data[at] = step;
      else data.set(step, at);
    }
    lengths[i] = n;
  });
  return { padded: new Tensor(data, F === 0 ? [N, L] : [N, L, F]), lengths };
}

/** Options of padSequence (PyTorch's names and defaults). */
export interface PadSequenceOptions {
  /** (B, L, ·) instead of (L, B, ·). Default false. */
  batchFirst?: boolean;
  /** The padding value. Default 0. */
  paddingValue?: number;
}

const PAD_SEQUENCE_OPTIONS: OptionSchema = {
  batchFirst: { type: "boolean", doc: "(B, L, ·) output, default false" },
  paddingValue: { type: "number", doc: "padding value, default 0" },
};

/**
 * PyTorch's `pad_sequence`: tensors (L_i, ...rest) to one tensor (L, B, ...rest), or
 * (B, L, ...rest) with batchFirst, L the longest, padded after each sequence. Differentiable:
 * gradients flow back to each input. Returns the tensor and the lengths (B).
 */
export function padSequence(sequences: readonly Tensor[], opts: PadSequenceOptions = {}): { padded: Tensor; lengths: Int32Array } {
  const where = "padSequence";
  const o = checkOptions<PadSequenceOptions>(where, opts, PAD_SEQUENCE_OPTIONS);
  if (!Array.isArray(sequences) || sequences.length === 0) throw new Error(`${where}: expected a non-empty array of tensors, got ${describeArg(sequences)}`);
  const first: Tensor = sequences[0]!;
  sequences.forEach((s, i) => {
    if (!(s instanceof Tensor) || s.ndim < 1) throw new Error(`${where}: sequences[${i}] must be a Tensor (L, ...), got ${describeArg(s)}`);
    if (s.ndim !== first.ndim || s.shape.some((d, k) => k > 0 && d !== first.shape[k])) {
      throw new Error(`${where}: sequences[${i}] has shape ${shapeStr(s.shape)}, but every sequence must be (L, ${first.shape.slice(1).join(", ")}) like sequences[0] ${shapeStr(first.shape)}`);
    }
  });
  const rest: number[] = first.shape.slice(1);
  const W = rest.reduce((p: number, q: number) => p * q, 1);
  const B = sequences.length;
  const lengths = Int32Array.from(sequences, (s) => s.shape[0]!);
  const L = lengths.reduce((m, n) => Math.max(m, n), 0);
  const bf = o.batchFirst ?? false;
  const index = new Int32Array(L * B).fill(-1);
  let row = 0;
  sequences.forEach((s, b) => {
    for (let t = 0; t < s.shape[0]!; t++) index[bf ? b * L + t : t * B + b] = row++;
  });
  const rows = concat(sequences.map((s) => reshape(s, [s.shape[0]!, W])), 0); // (Σ L_i, W)
  let flat = gatherRows(rows, index);
  const value = o.paddingValue ?? 0;
  if (value !== 0) {
    const pad = new Float32Array(L * B * W);
    index.forEach((r, k) => {
      if (r < 0) pad.fill(value, k * W, (k + 1) * W);
    });
    flat = add(flat, new Tensor(pad, [L * B, W]));
  }
  return { padded: reshape(flat, bf ? [B, L, ...rest] : [L, B, ...rest]), lengths };
}
