/**
 * The wasm backend object: one kernel instance and its linear memory, driven by one thread of
 * JavaScript at a time (calls are synchronous, so they never interleave). With threads, that
 * memory is shared with a team of workers that take parts of each call.
 */
import type { CellActivations } from "../../nn/cells/spec.js";
import type { OptimizerKernels } from "../optim-kernels.js";
import type { Backend, CellName, RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import { runsFusedWasm } from "./fused.js";
import { createContext, type WasmContext } from "./context.js";
import type { KernelExports } from "./module.js";
import { wasmOptimizerKernels } from "./optim.js";
import { recurrentBackward, recurrentForward } from "./recurrent.js";
import { WasmCache } from "./resident.js";
import { splitGemm } from "./split.js";
import type { Team } from "./team.js";
import { checkGemm } from "./validate.js";

const F = 4; // bytes per float

/** Stops the workers of backends that were dropped without dispose(). */
const orphans = typeof FinalizationRegistry === "function" ? new FinalizationRegistry<Team>((team) => team.dispose()) : null;

export class WasmBackend implements Backend {
  readonly name = "wasm";
  private readonly ctx: WasmContext;
  /** The fused Adam / AdamW and SGD updates (optim.ts), bit-identical to the optimisers' JavaScript loops. */
  readonly optimizer: OptimizerKernels;

  /**
   * kernels: the instance to run on (the team's, when there is one). cacheBudgetBytes: most
   * linear memory that forward caches may keep until their backward. team: the worker threads,
   * or null. minParallelWork: multiply-adds between synchronisations below which a call stays on
   * the calling thread. relaxedSimd: whether `kernels` is the relaxed-SIMD build.
   */
  constructor(
    kernels: KernelExports,
    cacheBudgetBytes: number,
    private readonly team: Team | null = null,
    minParallelWork = 0,
    /** Whether the kernels are the relaxed-SIMD build (fused multiply-add in the GEMM). */
    readonly relaxedSimd = false,
  ) {
    this.ctx = createContext(kernels, cacheBudgetBytes, team, minParallelWork);
    this.optimizer = wasmOptimizerKernels(this.ctx);
    if (team !== null) orphans?.register(this, team, this);
  }

  /** Threads that run this backend's kernels now: 1, or the team's size once its workers have started. */
  get threads(): number {
    return this.team?.parts ?? 1;
  }

  /** Bytes of WebAssembly memory this backend holds (it grows to the largest need and stays). */
  get memoryBytes(): number {
    return this.ctx.arena.capacity;
  }

  /** Bytes of linear memory held by forward caches awaiting (or done with) backward. */
  get residentCacheBytes(): number {
    return this.ctx.store.regionBytes;
  }

  /**
   * Stops the worker threads. The backend stays usable on the calling thread, with the same
   * results. Does nothing for a single-threaded backend; safe to call twice.
   */
  dispose(): void {
    if (this.team === null) return;
    orphans?.unregister(this);
    this.team.dispose();
  }

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
  ): void {
    checkGemm(M, N, K, A, B, C, transA, transB);
    if (M === 0 || N === 0) return;
    const { kernels: k, arena, store } = this.ctx;
    const ex = this.ctx.executor(M * N * K);
    arena.reset(store.top);
    const a = arena.alloc(M * K);
    const b = arena.alloc(K * N);
    const c = arena.alloc(M * N);
    const packed = arena.alloc(k.packedBFloats(K, N));
    const works = Array.from({ length: ex.parts }, () => arena.alloc(k.gemmWorkFloats()));
    const f = arena.view();
    f.set(A, a / F);
    f.set(B, b / F);
    if (accumulate) f.set(C, c / F);
    splitGemm(ex, { transA, transB, M, N, K, a, lda: transA ? M : K, b, ldb: transB ? K : N, c, ldc: N, accumulate, bias: 0 }, packed, works);
    ex.finish();
    C.set(f.subarray(c / F, c / F + M * N));
  }

  /** The cells with a fused kernel here (fused.ts); layers run the others on the generic path. */
  runsFused(cell: CellName, activations?: CellActivations): boolean {
    return runsFusedWasm(cell, activations);
  }

  // Every fused driver runs packed calls (lengths, masks) itself, each step on its running rows.
  recurrentForward(args: RecurrentForwardArgs): RecurrentCache {
    return recurrentForward(this.ctx, args);
  }

  recurrentBackward(args: RecurrentBackwardArgs): void {
    recurrentBackward(this.ctx, args);
  }

  /** Frees the cache's resident slot for reuse now (its data stays readable until then). */
  releaseCache(cache: RecurrentCache): void {
    if (cache instanceof WasmCache) cache.consume();
  }
}
