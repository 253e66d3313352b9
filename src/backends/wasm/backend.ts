/**
 * The wasm backend object: one kernel instance with its own linear memory, used by one thread of
 * JavaScript at a time (calls are synchronous, so they never interleave).
 */
import type { Backend, RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import { createContext, type WasmContext } from "./context.js";
import type { KernelExports } from "./module.js";
import { recurrentBackward, recurrentForward } from "./recurrent.js";
import { checkGemm } from "./validate.js";

const F = 4; // bytes per float

export class WasmBackend implements Backend {
  readonly name = "wasm";
  private readonly ctx: WasmContext;

  /** cacheBudgetBytes: most linear memory that forward caches may keep until their backward. */
  constructor(kernels: KernelExports, cacheBudgetBytes: number) {
    this.ctx = createContext(kernels, cacheBudgetBytes);
  }

  /** Bytes of WebAssembly memory this backend holds (it grows to the largest need and stays). */
  get memoryBytes(): number {
    return this.ctx.arena.capacity;
  }

  /** Bytes of linear memory held by forward caches awaiting (or done with) backward. */
  get residentCacheBytes(): number {
    return this.ctx.store.regionBytes;
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
    arena.reset(store.top);
    const a = arena.alloc(M * K);
    const b = arena.alloc(K * N);
    const c = arena.alloc(M * N);
    const packed = arena.alloc(k.packedBFloats(K, N));
    const work = arena.alloc(k.gemmWorkFloats());
    const f = arena.view();
    f.set(A, a / F);
    f.set(B, b / F);
    if (accumulate) f.set(C, c / F);
    k.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, a, transA ? M : K, b, transB ? K : N, c, N, accumulate ? 1 : 0, 0, packed, work);
    C.set(f.subarray(c / F, c / F + M * N));
  }

  recurrentForward(args: RecurrentForwardArgs): RecurrentCache {
    return recurrentForward(this.ctx, args);
  }

  recurrentBackward(args: RecurrentBackwardArgs): void {
    recurrentBackward(this.ctx, args);
  }
}
