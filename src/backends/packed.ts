/**
 * Packed sequences (variable lengths) on any whole-sequence kernel: step s of a packed call runs
 * the kernel for one time step on the first batchSizes[s] rows, which are contiguous in the
 * packed layout, so no row past its length costs anything. The state of the rows still running is
 * a prefix of the state of the rows that ran the step before (rows are sorted by length, longest
 * first), which is why a prefix of the previous step's output is the next step's h_prev.
 *
 * Symbols: S steps (the longest length), B rows (batchSizes[0]), N = Σ batchSizes packed rows,
 * I input size, H hidden size, P recurrent width, Bs the rows of step s.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "./backend.js";

/** A backend's whole-sequence kernels, as the packed driver calls them. */
export interface SequenceKernels {
  forward(a: RecurrentForwardArgs): RecurrentCache;
  backward(a: RecurrentBackwardArgs): void;
  release(cache: RecurrentCache): void;
}

/** The cache of a packed call: one kernel cache per step and the c state after each step. */
export class PackedCache implements RecurrentCache {
  readonly buffers: Float32Array[] = [];
  constructor(
    readonly backend: string,
    /** Each step's kernel cache. */
    readonly steps: RecurrentCache[],
    /** The c state (Bs, H) after each step, for cells with c; empty otherwise. */
    readonly cAfter: Float32Array[],
  ) {}
}

/** Row offsets of each step in the packed layout, and N; checks that batchSizes is non-increasing. */
export function packedOffsets(where: string, batchSizes: Int32Array, T: number, B: number): { offsets: Int32Array; N: number } {
  if (batchSizes.length !== T) throw new Error(`${where}: batchSizes has ${batchSizes.length} entries, expected T = ${T}`);
  const offsets = new Int32Array(T);
  let n = 0;
  for (let s = 0; s < T; s++) {
    const bs = batchSizes[s]!;
    const max = s === 0 ? B : batchSizes[s - 1]!;
    if (!Number.isInteger(bs) || bs < 1 || bs > max || (s === 0 && bs !== B)) {
      throw new Error(`${where}: batchSizes must start at B = ${B} and not increase (each >= 1); entry ${s} is ${bs} after ${max}`);
    }
    offsets[s] = n;
    n += bs;
  }
  return { offsets, N: n };
}

/** Runs a packed forward (a.batchSizes set) as one kernel call per step. */
export function packedForward(k: SequenceKernels, backend: string, a: RecurrentForwardArgs): RecurrentCache {
  const where = `${backend} backend.recurrentForward`;
  const { T, B, I, H, P } = a;
  const batchSizes = a.batchSizes!;
  if (a.reverse) throw new Error(`${where}: a packed call runs forward only (reverse must be false); pack the reversed sequences instead`);
  const { offsets, N } = packedOffsets(where, batchSizes, T, B);
  if (a.x.length !== N * I) throw new Error(`${where}: packed x has ${a.x.length} floats, expected (N, I) = (${N}, ${I}) = ${N * I}`);
  if (a.out.length !== N * P) throw new Error(`${where}: packed out has ${a.out.length} floats, expected (N, P) = (${N}, ${P}) = ${N * P}`);
  const hasC = a.cN !== null;
  const h = Float32Array.from(a.h0); // (B, P) each row's latest state
  const c = hasC ? (a.c0 !== null ? Float32Array.from(a.c0) : new Float32Array(B * H)) : null; // (B, H)
  const steps: RecurrentCache[] = [];
  const cAfter: Float32Array[] = [];
  for (let s = 0; s < T; s++) {
    const bs = batchSizes[s]!;
    const off = offsets[s]!;
    const hN = new Float32Array(bs * P);
    const cN = c !== null ? new Float32Array(bs * H) : null;
    const cache = k.forward({
      ...a,
      T: 1,
      B: bs,
      reverse: false,
      batchSizes: null,
      x: a.x.subarray(off * I, (off + bs) * I),
      recurrentMask: a.recurrentMask != null ? a.recurrentMask.subarray(0, bs * P) : null,
      h0: h.slice(0, bs * P),
      c0: c !== null ? c.slice(0, bs * H) : null,
      out: a.out.subarray(off * P, (off + bs) * P),
      hN,
      cN,
    });
    h.set(hN);
    if (c !== null && cN !== null) {
      c.set(cN);
      cAfter.push(cN);
    }
    if (a.training) steps.push(cache);
    else k.release(cache);
  }
  a.hN.set(h);
  if (a.cN !== null && c !== null) a.cN.set(c);
  return new PackedCache(backend, steps, cAfter);
}

/** Backpropagation through a packed forward, one kernel call per step, last step first. */
export function packedBackward(k: SequenceKernels, backend: string, a: RecurrentBackwardArgs): void {
  const where = `${backend} backend.recurrentBackward`;
  const { T, B, I, H, P } = a;
  const batchSizes = a.batchSizes!;
  const cache = a.cache;
  if (!(cache instanceof PackedCache) || cache.steps.length !== T) {
    throw new Error(`${where}: the cache is not from a packed forward with training: true over ${T} steps`);
  }
  const { offsets } = packedOffsets(where, batchSizes, T, B);
  const hasC = a.c0 !== null || cache.cAfter.length > 0;
  // The gradient reaching each row's latest state: dHN for rows whose last step is still ahead.
  const dh = a.dHN !== null ? Float32Array.from(a.dHN) : new Float32Array(B * P); // (B, P)
  const dc = hasC ? (a.dCN !== null ? Float32Array.from(a.dCN) : new Float32Array(B * H)) : null; // (B, H)
  const c0 = hasC ? (a.c0 ?? new Float32Array(B * H)) : null;
  for (let s = T - 1; s >= 0; s--) {
    const bs = batchSizes[s]!;
    const off = offsets[s]!;
    // h_prev of step s: a prefix of the previous step's output (rows are longest first), or h0.
    const hPrev = s > 0 ? a.out.slice(offsets[s - 1]! * P, (offsets[s - 1]! + bs) * P) : a.h0.slice(0, bs * P);
    const cPrev = c0 === null ? null : s > 0 ? cache.cAfter[s - 1]!.slice(0, bs * H) : c0.slice(0, bs * H);
    const dh0 = new Float32Array(bs * P);
    const dc0 = dc !== null ? new Float32Array(bs * H) : null;
    k.backward({
      ...a,
      T: 1,
      B: bs,
      reverse: false,
      batchSizes: null,
      x: a.x.subarray(off * I, (off + bs) * I),
      recurrentMask: a.recurrentMask != null ? a.recurrentMask.subarray(0, bs * P) : null,
      h0: hPrev,
      c0: cPrev,
      cache: cache.steps[s]!,
      out: a.out.subarray(off * P, (off + bs) * P),
      dOut: a.dOut !== null ? a.dOut.subarray(off * P, (off + bs) * P) : null,
      dHN: dh.slice(0, bs * P),
      dCN: dc !== null ? dc.slice(0, bs * H) : null,
      dx: a.dx !== null ? a.dx.subarray(off * I, (off + bs) * I) : null,
      dh0,
      dc0,
    });
    dh.set(dh0);
    if (dc !== null && dc0 !== null) dc.set(dc0);
  }
  if (a.dh0 !== null) a.dh0.set(dh);
  if (a.dc0 !== null && dc !== null) a.dc0.set(dc);
}

/**
 * Gives back every step's cache of a packed call. The step caches stay listed: a backend whose
 * released caches stay readable until reused lets a second backward (retainGraph) still run.
 */
export function releasePacked(k: SequenceKernels, cache: RecurrentCache): boolean {
  if (!(cache instanceof PackedCache)) return false;
  for (const c of cache.steps) k.release(c);
  return true;
}
