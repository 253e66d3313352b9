/**
 * The WebAssembly SIMD backend: GEMM and fused whole-sequence recurrent kernels compiled from
 * AssemblyScript (wasm/kernels), about an order of magnitude faster than the reference backend.
 *
 *   const backend = createWasmBackend();             // all cores (up to 8) where threads are available
 *   const backend = await loadWasmBackend();         // browsers: compiles off the main thread
 *   const backend = createWasmBackend({ threads: 1 }); // the calling thread only, no workers
 *   if (wasmSimdSupported()) setBackend(backend);
 *   backend.dispose();                               // stops the worker threads, if any
 */
import { WasmBackend } from "./backend.js";
import { defaultThreadCount, threadHost } from "./host.js";
import { compileKernels, compileKernelsAsync, instantiateKernels, relaxedSimdSupported } from "./module.js";
import { Team } from "./team.js";

export { WasmBackend } from "./backend.js";
export { relaxedSimdSupported } from "./module.js";

export interface WasmBackendOptions {
  /**
   * Threads that run the kernels: the calling one plus `threads - 1` workers sharing its
   * WebAssembly memory. Default: every core, capped at 8 (`os.availableParallelism()` in Node,
   * `navigator.hardwareConcurrency` in a cross-origin-isolated page; 1 in a page that is not
   * isolated), like PyTorch's default of one thread per core; `RECURRENT_WASM_THREADS` in Node's
   * environment replaces that default. Results are bit-identical for every thread
   * count: work is split by output rows and columns only, never along a sum. Threads poll while
   * they wait for each other, so use at most as many as there are idle cores. Where worker threads
   * with shared memory are unavailable (browsers without cross-origin isolation, Node before
   * 20.16) the backend runs on one thread without error; `backend.threads` tells. Call
   * `backend.dispose()` to stop the workers (they never keep a Node process alive).
   */
  threads?: number;
  /**
   * Most MiB of WebAssembly memory that forward caches may keep for their backward (a W1-sized
   * LSTM layer needs about 6). Past it, older caches move to JS arrays. Default 256.
   */
  cacheBudgetMiB?: number;
  /**
   * Multiply-adds between two synchronisations of the threads (one time step of a recurrent
   * layer, or a whole GEMM) below which a call runs on the calling thread alone, where waking the
   * workers would cost more than it saves. Default 32768; 0 splits every call.
   */
  minParallelWork?: number;
  /**
   * Use the kernels built with WebAssembly relaxed SIMD, whose GEMM micro-kernel multiplies and
   * adds in one fused instruction on CPUs with FMA. Default: where the engine supports it
   * (`relaxedSimdSupported()`: Chromium, Node 22 and later; Node 20 only with
   * --experimental-wasm-relaxed-simd). Results stay bit-identical across thread counts; against
   * the strict build they differ in the last bits of the products' rounding. `true` where the
   * engine lacks it is an error; `false` keeps the strict SIMD build.
   */
  relaxedSimd?: boolean;
}

/** Most threads a backend accepts. */
const MAX_THREADS = 256;
/** Milliseconds createWasmBackend waits for its workers to start before going on without them. */
const START_TIMEOUT_MS = 10_000;
const DEFAULT_MIN_PARALLEL_WORK = 32768;

interface Checked {
  relaxed: boolean;
  threads: number;
  budgetBytes: number;
  minParallelWork: number;
}

function checkOptions(where: string, options: WasmBackendOptions): Checked {
  const threads = options.threads ?? defaultThreadCount();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`${where}: threads must be a positive integer, got ${threads}`);
  if (threads > MAX_THREADS) throw new Error(`${where}: threads must be at most ${MAX_THREADS}, got ${threads}`);
  const budget = options.cacheBudgetMiB ?? 256;
  if (!Number.isFinite(budget) || budget < 0) {
    throw new Error(`${where}: cacheBudgetMiB must be a non-negative number, got ${budget}`);
  }
  const minParallelWork = options.minParallelWork ?? DEFAULT_MIN_PARALLEL_WORK;
  if (!Number.isFinite(minParallelWork) || minParallelWork < 0) {
    throw new Error(`${where}: minParallelWork must be a non-negative number, got ${minParallelWork}`);
  }
  const relaxed = options.relaxedSimd ?? relaxedSimdSupported();
  if (typeof relaxed !== "boolean") throw new Error(`${where}: relaxedSimd must be a boolean, got ${String(relaxed)}`);
  if (relaxed && !relaxedSimdSupported()) {
    throw new Error(`${where}: relaxedSimd is true but this JavaScript engine has no WebAssembly relaxed SIMD (Node 22 and later, Chromium, or Node 20 with --experimental-wasm-relaxed-simd); leave it unset to fall back to strict SIMD`);
  }
  return { relaxed, threads, budgetBytes: budget * 1024 * 1024, minParallelWork };
}

/** A team of `threads` on the shared build, or null where threads are unavailable. */
function startTeam(module: WebAssembly.Module, threads: number): Team | null {
  const host = threadHost();
  return host === null ? null : Team.start(module, threads, host);
}

/**
 * Creates a wasm backend, compiling the kernel module synchronously on first use. With threads,
 * waits for the workers to start where that lets them start (Node); in a browser (its main
 * thread, and a worker too, whose nested workers start only once it yields to its event loop) calls
 * run on this thread until they have, so prefer loadWasmBackend there.
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const o = checkOptions("createWasmBackend", options);
  const team = o.threads > 1 ? startTeam(compileKernels("shared", o.relaxed), o.threads) : null;
  if (team === null) return new WasmBackend(instantiateKernels(compileKernels("single", o.relaxed)), o.budgetBytes, null, 0, o.relaxed);
  team.waitReady(START_TIMEOUT_MS);
  return new WasmBackend(team.kernels, o.budgetBytes, team, o.minParallelWork, o.relaxed);
}

/** Creates a wasm backend, compiling the kernel module asynchronously and waiting for any workers to start. */
export async function loadWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const o = checkOptions("loadWasmBackend", options);
  const team = o.threads > 1 ? startTeam(await compileKernelsAsync("shared", o.relaxed), o.threads) : null;
  if (team === null) return new WasmBackend(instantiateKernels(await compileKernelsAsync("single", o.relaxed)), o.budgetBytes, null, 0, o.relaxed);
  await team.whenReady(START_TIMEOUT_MS);
  return new WasmBackend(team.kernels, o.budgetBytes, team, o.minParallelWork, o.relaxed);
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
