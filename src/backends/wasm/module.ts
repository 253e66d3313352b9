/**
 * Loading the SIMD kernel module (compiled from wasm/kernels by scripts/build-wasm.mjs and embedded
 * as base64) and giving its exports a typed face. Pointers are byte offsets into the module's own
 * memory; sizes are in floats; booleans travel as 0 / 1.
 */
import { KERNELS_WASM_BASE64 } from "./generated/kernels.js";

/** The exported kernels, with the signatures of wasm/kernels/*.ts. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  packedBFloats(K: number, N: number): number;
  gemmWorkFloats(): number;
  packB(transB: number, K: number, N: number, b: number, ldb: number, dst: number): void;
  gemmPacked(
    transA: number, M: number, N: number, K: number, a: number, lda: number, packedB: number,
    c: number, ldc: number, accumulate: number, bias: number, work: number,
  ): void;
  gemm(
    transA: number, transB: number, M: number, N: number, K: number, a: number, lda: number,
    b: number, ldb: number, c: number, ldc: number, accumulate: number, bias: number, packed: number, work: number,
  ): void;
  gemv(M: number, K: number, a: number, lda: number, x: number, y: number, accumulate: number, bias: number): void;
  colsumAccumulate(rows: number, cols: number, src: number, dst: number): void;
  sigmoidArray(n: number, src: number, dst: number): void;
  tanhArray(n: number, src: number, dst: number): void;
  expArray(n: number, src: number, dst: number): void;
  lstmForwardStep(B: number, H: number, gates: number, cPrev: number, c: number, h: number): void;
  lstmBackwardStep(B: number, H: number, gates: number, c: number, cPrev: number, dh: number, dc: number, dGates: number): void;
  gruForwardStep(B: number, H: number, gx: number, gh: number, hPrev: number, hn: number, h: number): void;
  gruBackwardStep(
    B: number, H: number, acts: number, hn: number, hPrev: number, dh: number, dgx: number, dgh: number, dhPrev: number,
  ): void;
  rnnForwardStep(n: number, relu: number, a: number, h: number): void;
  rnnBackwardStep(n: number, relu: number, h: number, dh: number, da: number): void;
}

type KernelFunction = (...args: number[]) => number;

function isKernelFunction(value: unknown): value is KernelFunction {
  return typeof value === "function";
}

let moduleBytes: Uint8Array<ArrayBuffer> | null = null;
let compiled: WebAssembly.Module | null = null;

/** The module's bytes, decoded once (atob exists in browsers and in Node >= 16). */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  if (moduleBytes === null) {
    const text = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    moduleBytes = bytes;
  }
  return moduleBytes;
}

function unsupported(cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new Error(`wasm backend: this JavaScript engine cannot compile the SIMD kernels (WebAssembly SIMD is required): ${detail}`);
}

/** Compiles the kernel module synchronously, once per process. */
export function compileKernels(): WebAssembly.Module {
  if (compiled === null) {
    try {
      compiled = new WebAssembly.Module(kernelBytes());
    } catch (e) {
      throw unsupported(e);
    }
  }
  return compiled;
}

/** Compiles the kernel module off the main thread where the engine allows it, once per process. */
export async function compileKernelsAsync(): Promise<WebAssembly.Module> {
  if (compiled === null) {
    try {
      compiled = await WebAssembly.compile(kernelBytes());
    } catch (e) {
      throw unsupported(e);
    }
  }
  return compiled;
}

/** A fresh instance (with its own linear memory) of the compiled module. */
export function instantiateKernels(module: WebAssembly.Module): KernelExports {
  const exports = new WebAssembly.Instance(module, {}).exports;
  const memory = exports["memory"];
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("wasm backend: the kernel module exports no memory");
  const fn = (name: string): KernelFunction => {
    const f = exports[name];
    if (!isKernelFunction(f)) throw new Error(`wasm backend: the kernel module exports no function "${name}"`);
    return f;
  };
  return {
    memory,
    heapBase: fn("heapBase"),
    packedBFloats: fn("packedBFloats"),
    gemmWorkFloats: fn("gemmWorkFloats"),
    packB: fn("packB"),
    gemmPacked: fn("gemmPacked"),
    gemm: fn("gemm"),
    gemv: fn("gemv"),
    colsumAccumulate: fn("colsumAccumulate"),
    sigmoidArray: fn("sigmoidArray"),
    tanhArray: fn("tanhArray"),
    expArray: fn("expArray"),
    lstmForwardStep: fn("lstmForwardStep"),
    lstmBackwardStep: fn("lstmBackwardStep"),
    gruForwardStep: fn("gruForwardStep"),
    gruBackwardStep: fn("gruBackwardStep"),
    rnnForwardStep: fn("rnnForwardStep"),
    rnnBackwardStep: fn("rnnBackwardStep"),
  };
}
