/**
 * How a batch of variable-length (or masked) sequences maps onto packed kernel calls, for one
 * direction: which input rows each packed step reads, and where each output and final state comes
 * from. Lengths and masks reduce to the same thing: each sequence runs its real steps only, in
 * processing order, packed longest first (PyTorch's PackedSequence layout, with no sorting asked
 * of the caller).
 *
 * - Lengths (PyTorch `pack_padded_sequence`): sequence b runs t = 0 .. L_b-1 (reverse: L_b-1 .. 0);
 *   outputs at t >= L_b are zero; the final state is the one after its last real step.
 * - Masks (Keras): sequence b runs its unmasked steps (reverse: in reverse order); a masked step
 *   leaves the state as it was and outputs the current h (TF.js's rule), so the output at t is the
 *   h after the latest real step processed by then, or the initial h before any.
 *
 * Symbols: T time steps, B sequences, S packed steps (the most real steps of any sequence),
 * B' sequences with at least one real step, N = Σ real steps.
 */

/** Real steps of each sequence: per-sequence lengths, or a time-major keep mask. */
export type SequenceLimits =
  | { readonly kind: "lengths"; readonly lengths: Int32Array /* (B) */ }
  | { readonly kind: "mask"; readonly mask: Uint8Array /* (T, B) time-major, 1 = real step */ };

/** The packed view of one direction. */
export interface DirectionPlan {
  /** Rows of each packed step (S), non-increasing. */
  readonly batchSizes: Int32Array;
  /** N: packed rows. */
  readonly N: number;
  /** B': sequences with a real step (the packed batch). */
  readonly rows: number;
  /** (N) row of the flat input (T·B, I) each packed row reads. */
  readonly xIndex: Int32Array;
  /** (B') sequence (row of h0) of each packed row position. */
  readonly stateIndex: Int32Array;
  /** (T·B) row of [packed out (N, P); h0 (B, P)] each output row copies; -1 for zero. */
  readonly outIndex: Int32Array;
  /** (B) row of [packed final state (B', ·); initial state (B, ·)] each final state copies. */
  readonly finalIndex: Int32Array;
}

/** The packed view of the direction that runs forward (`reverse` false) or backward in time. */
export function directionPlan(limits: SequenceLimits, T: number, B: number, reverse: boolean): DirectionPlan {
  // Each sequence's real time steps in processing order.
  const steps: number[][] = [];
  for (let b = 0; b < B; b++) {
    const own: number[] = [];
    if (limits.kind === "lengths") {
      const L = limits.lengths[b]!;
      for (let s = 0; s < L; s++) own.push(reverse ? L - 1 - s : s);
    } else {
      for (let s = 0; s < T; s++) {
        const t = reverse ? T - 1 - s : s;
        if (limits.mask[t * B + b] !== 0) own.push(t);
      }
    }
    steps.push(own);
  }
  // Longest first; ties keep batch order, so equal lengths keep their rows in place.
  const order = [...Array(B).keys()].filter((b) => steps[b]!.length > 0).sort((p, q) => steps[q]!.length - steps[p]!.length || p - q);
  const rows = order.length;
  const S = rows > 0 ? steps[order[0]!]!.length : 0;
  const batchSizes = new Int32Array(S);
  for (const b of order) for (let s = 0; s < steps[b]!.length; s++) batchSizes[s]!++;
  const offsets = new Int32Array(S);
  let N = 0;
  for (let s = 0; s < S; s++) {
    offsets[s] = N;
    N += batchSizes[s]!;
  }
  const xIndex = new Int32Array(N);
  const stateIndex = Int32Array.from(order);
  const outIndex = new Int32Array(T * B).fill(-1);
  const finalIndex = new Int32Array(B);
  for (let b = 0; b < B; b++) finalIndex[b] = rows + b;
  order.forEach((b, r) => {
    const own = steps[b]!;
    own.forEach((t, s) => {
      xIndex[offsets[s]! + r] = t * B + b;
      outIndex[t * B + b] = offsets[s]! + r;
    });
    finalIndex[b] = r;
  });
  if (limits.kind === "mask") {
    // Masked steps repeat the latest h (the initial one, row N + b, before any real step).
    for (let b = 0; b < B; b++) {
      let last = N + b;
      for (let s = 0; s < T; s++) {
        const t = reverse ? T - 1 - s : s;
        const k = t * B + b;
        if (outIndex[k]! >= 0) last = outIndex[k]!;
        else outIndex[k] = last;
      }
    }
  }
  return { batchSizes, N, rows, xIndex, stateIndex, outIndex, finalIndex };
}
