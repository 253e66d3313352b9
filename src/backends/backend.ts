/**
 * The kernel interface every backend implements. Kernels work on plain Float32Arrays in
 * row-major order; a backend may copy them into its own memory, but it must leave inputs
 * untouched and write outputs in place.
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P projection size (LSTM projSize;
 * P = H when there is no projection), G gate rows (H for RNN, 4H for LSTM, 3H for GRU).
 *
 * Accumulation rule, stated once: parameter gradients accumulate (`+=`) into the arrays passed in;
 * activation gradients (dx, dh0, dc0) are assigned (`=`).
 */

import type { CellActivations, CellName } from "../nn/cells/spec.js";
import type { OptimizerKernels } from "./optim-kernels.js";

export type { CellName } from "../nn/cells/spec.js";

/** @deprecated The old name of {@link CellName}; kept so existing imports still compile. */
export type CellMode = CellName;

/** One layer, one direction, a whole sequence. */
export interface RecurrentForwardArgs {
  /** The registered cell to run (its spec in src/nn/cells gives G, the states and the math). */
  mode: CellName;
  T: number;
  B: number;
  I: number;
  H: number;
  /** Output/recurrent width: projSize for a projected LSTM, else H. */
  P: number;
  /** Run t = T-1 .. 0 (the backward direction of a bidirectional layer). Outputs stay indexed by t. */
  reverse: boolean;
  x: Float32Array; // (T, B, I)
  wIh: Float32Array; // (G, I)
  wHh: Float32Array; // (G, P)
  bIh: Float32Array | null; // (G)
  bHh: Float32Array | null; // (G)
  wHr: Float32Array | null; // (P, H), LSTM with projection only
  h0: Float32Array; // (B, P)
  c0: Float32Array | null; // (B, H), cells with a c state only
  /** The cell's own parameters beyond the standard five, in its spec's order (e.g. peepholes). */
  extra?: readonly Float32Array[];
  /**
   * Packed sequences (PyTorch's PackedSequence layout, for lengths and masks): step s runs the first
   * batchSizes[s] rows only, so `x` is (N, I) and `out` (N, P) with N = Σ batchSizes, step s's rows
   * starting at row Σ_{s'<s} batchSizes[s']. Non-increasing, batchSizes[0] = B, T entries; `reverse`
   * must be false (a reversed packed sequence is packed reversed by the caller). hN and cN hold each
   * row's state after its own last step. Absent or null: every step runs all B rows.
   */
  batchSizes?: Int32Array | null;
  /**
   * The cell's nonlinearities (cells whose spec declares `activations` only); absent = the
   * cell's defaults. Only passed when `runsFused(mode, activations)` is true.
   */
  activations?: CellActivations;
  /**
   * (B, P) variational recurrent dropout mask: h_{t-1} is multiplied by it where it enters the
   * recurrent product, at every step (see CellVariant). With batchSizes, row b is packed row b.
   * Absent or null: no mask. The kernels never compute a gradient for it.
   */
  recurrentMask?: Float32Array | null;
  /** Keep what backward needs. False for inference (noGrad): the kernel may skip the cache. */
  training: boolean;
  out: Float32Array; // (T, B, P), or (N, P) packed; written
  hN: Float32Array; // (B, P), written
  cN: Float32Array | null; // (B, H), written, cells with a c state only
}

/** Opaque per-call storage a backend keeps between forward and backward. */
export interface RecurrentCache {
  readonly backend: string;
  readonly buffers: Float32Array[];
}

export interface RecurrentBackwardArgs extends Omit<RecurrentForwardArgs, "out" | "hN" | "cN" | "training"> {
  cache: RecurrentCache;
  out: Float32Array; // (T, B, P), the forward output
  dOut: Float32Array | null; // (T, B, P)
  dHN: Float32Array | null; // (B, P)
  dCN: Float32Array | null; // (B, H)
  dx: Float32Array | null; // (T, B, I), assigned; null when x needs no gradient
  dh0: Float32Array | null; // (B, P), assigned
  dc0: Float32Array | null; // (B, H), assigned
  dWIh: Float32Array | null; // (G, I), accumulated
  dWHh: Float32Array | null; // (G, P), accumulated
  dBIh: Float32Array | null; // (G), accumulated
  dBHh: Float32Array | null; // (G), accumulated
  dWHr: Float32Array | null; // (P, H), accumulated
  /** Gradients of `extra`, same order and shapes, accumulated; null where none is needed. */
  dExtra?: readonly (Float32Array | null)[];
}

export interface Backend {
  readonly name: string;
  /**
   * Whether recurrentForward/recurrentBackward run this cell, with these nonlinearities (absent:
   * the cell's defaults), as a fused whole-sequence kernel. Layers run every other cell and
   * combination on the generic path (one autograd step per time step).
   */
  runsFused(cell: CellName, activations?: CellActivations): boolean;
  /**
   * C (M, N) = op(A) · op(B), plus C when `accumulate`. op(A) is (M, K): A is stored (M, K), or
   * (K, M) when transA. op(B) is (K, N): B is stored (K, N), or (N, K) when transB.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array,
    B: Float32Array,
    C: Float32Array,
    accumulate: boolean,
  ): void;
  /** Runs one recurrent layer in one direction over the whole sequence; returns the cache for backward. */
  recurrentForward(args: RecurrentForwardArgs): RecurrentCache;
  /** Backpropagation through time for what recurrentForward computed. */
  recurrentBackward(args: RecurrentBackwardArgs): void;
  /**
   * The cache is done with: its backward has run, or its forward ran without gradient. The
   * backend may reuse what the cache holds at once; a later backward on it is an error. Layers
   * call this so memory is given back deterministically, not when a finaliser happens to run.
   */
  releaseCache(cache: RecurrentCache): void;
  /**
   * Fused optimiser updates (see optim-kernels.ts), bit-identical to the optimisers' JavaScript
   * loops; absent: the optimisers run those loops.
   */
  readonly optimizer?: OptimizerKernels;
}
