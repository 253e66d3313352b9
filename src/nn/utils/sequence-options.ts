/**
 * The third argument of every recurrent layer's `forward`: per-sequence lengths (PyTorch's packed
 * semantics) or a Keras mask, checked and turned into SequenceLimits.
 */
import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import type { SequenceLimits } from "./sequence-plan.js";

/** A (B, T) keep mask: a Tensor of 0/1 (or booleans as numbers), or B arrays of T booleans. */
export type MaskInput = Tensor | readonly (readonly (boolean | number)[])[];

/** Per-sequence lengths (B): integers in [0, T], as an array, typed array or Tensor. */
export type LengthsInput = Tensor | ArrayLike<number>;

/** Which steps of each sequence are real. Give at most one of the two. */
export interface SequenceOptions {
  /**
   * Real steps per sequence (B), PyTorch's `pack_padded_sequence` semantics without sorting:
   * outputs past a sequence's length are zero, its final state is the one at its last real step,
   * and the reverse direction starts at that step. Lengths may be 0 (zero output, initial state).
   */
  lengths?: LengthsInput | null;
  /**
   * Keras mask (B, T), whatever the layout of the input; 1 (true) keeps a step. A masked step
   * leaves the state unchanged and outputs the current h. Any pattern, not only padding at the end.
   */
  mask?: MaskInput | null;
}

/** Checks `opts` for a batch of B sequences of T steps; null when every step is real. */
export function sequenceLimits(where: string, opts: SequenceOptions | undefined, T: number, B: number, implicitMask: Tensor | null): SequenceLimits | null {
  const lengths = opts?.lengths ?? null;
  const mask = opts?.mask ?? implicitMask;
  if (lengths !== null && opts?.mask != null) throw new Error(`${where}: give lengths or mask, not both`);
  if (lengths !== null) return { kind: "lengths", lengths: checkLengths(where, lengths, T, B) };
  if (mask !== null) return { kind: "mask", mask: checkMask(where, mask, T, B) };
  return null;
}

function checkLengths(where: string, lengths: LengthsInput, T: number, B: number): Int32Array {
  const values: ArrayLike<number> = lengths instanceof Tensor ? lengths.data : lengths;
  if (lengths instanceof Tensor && lengths.ndim !== 1) throw new Error(`${where}: lengths must have shape (B) = (${B}), got ${shapeStr(lengths.shape)}`);
  if (values.length !== B) throw new Error(`${where}: lengths has ${values.length} entries but the batch has B = ${B} sequences`);
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const L = values[b]!;
    if (!Number.isInteger(L) || L < 0 || L > T) throw new Error(`${where}: lengths[${b}] must be an integer in [0, T = ${T}], got ${L}`);
    out[b] = L;
  }
  return out;
}

/** (B, T) batch-major in, (T, B) time-major out. */
function checkMask(where: string, mask: MaskInput, T: number, B: number): Uint8Array {
  const out = new Uint8Array(T * B);
  if (mask instanceof Tensor) {
    const ok = (mask.ndim === 2 && mask.shape[0] === B && mask.shape[1] === T) || (B === 1 && mask.ndim === 1 && mask.shape[0] === T);
    if (!ok) throw new Error(`${where}: mask must have shape (B, T) = (${B}, ${T}), got ${shapeStr(mask.shape)}`);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out[t * B + b] = mask.data[b * T + t] !== 0 ? 1 : 0;
    return out;
  }
  if (mask.length !== B) throw new Error(`${where}: mask has ${mask.length} rows but the batch has B = ${B} sequences (mask is (B, T))`);
  for (let b = 0; b < B; b++) {
    const row = mask[b]!;
    if (row.length !== T) throw new Error(`${where}: mask row ${b} has ${row.length} entries, expected T = ${T}`);
    for (let t = 0; t < T; t++) out[t * B + b] = row[t] ? 1 : 0;
  }
  return out;
}

/** A mask in any accepted form as a (B, T) tensor of 0/1, reversed along T when `reverse`. */
export function maskTensor(where: string, mask: MaskInput, T: number, B: number, reverse: boolean): Tensor {
  const tb = checkMask(where, mask, T, B);
  const out = new Float32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out[b * T + t] = tb[(reverse ? T - 1 - t : t) * B + b]!;
  return new Tensor(out, [B, T]);
}
