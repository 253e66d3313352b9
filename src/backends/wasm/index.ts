/**
 * The WebAssembly SIMD backend: GEMM and fused whole-sequence recurrent kernels compiled from
 * AssemblyScript (wasm/kernels), about an order of magnitude faster than the reference backend.
 *
 *   const backend = createWasmBackend();          // Node, workers, small-module browsers
 *   const backend = await loadWasmBackend();      // browsers: compiles off the main thread
 *   if (wasmSimdSupported()) setBackend(backend);
 */
import { WasmBackend } from "./backend.js";
import { compileKernels, compileKernelsAsync, instantiateKernels } from "./module.js";

export { WasmBackend } from "./backend.js";

export interface WasmBackendOptions {
  /**
   * Threads for the large GEMMs. Default 1, which is also the only value supported now: results
   * are then bit-for-bit deterministic.
   */
  threads?: number;
  /**
   * Most MiB of WebAssembly memory that forward caches may keep for their backward (a W1-sized
   * LSTM layer needs about 6). Past it, older caches move to JS arrays. Default 256.
   */
  cacheBudgetMiB?: number;
}

/** Checks the options and returns the cache budget in bytes. */
function checkOptions(where: string, options: WasmBackendOptions): number {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`${where}: threads must be a positive integer, got ${threads}`);
  }
  if (threads !== 1) throw new Error(`${where}: threads must be 1 (multi-threaded kernels are not available), got ${threads}`);
  const budget = options.cacheBudgetMiB ?? 256;
  if (!Number.isFinite(budget) || budget < 0) {
    throw new Error(`${where}: cacheBudgetMiB must be a non-negative number, got ${budget}`);
  }
  return budget * 1024 * 1024;
}

/** Creates a wasm backend, compiling the kernel module synchronously on first use. */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const budget = checkOptions("createWasmBackend", options);
  return new WasmBackend(instantiateKernels(compileKernels()), budget);
}

/** Creates a wasm backend, compiling the kernel module asynchronously on first use. */
export async function loadWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const budget = checkOptions("loadWasmBackend", options);
  return new WasmBackend(instantiateKernels(await compileKernelsAsync()), budget);
}

/**
 * A module of one function using a v128 instruction (i8x16.splat then i8x16.popcnt): engines
 * without fixed-width SIMD reject it.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this engine runs WebAssembly with fixed-width SIMD, which the kernels need. */
export function wasmSimdSupported(): boolean {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}
