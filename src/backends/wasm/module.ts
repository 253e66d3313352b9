/**
 * Loading the SIMD kernel module (compiled from wasm/kernels by scripts/build-wasm.mjs and embedded
 * as base64) and giving its exports a typed face. Pointers are byte offsets into the module's
 * linear memory; sizes are in floats; booleans travel as 0 / 1.
 *
 * Two builds of the same kernels: one owns its memory (single-threaded), the other imports a
 * shared memory (env.memory) so that worker threads can run kernels on the same buffers. Each
 * also comes built with relaxed SIMD (the GEMM micro-kernel's multiply-add is
 * f32x4.relaxed_madd, a fused multiply-add on CPUs with FMA), loaded where the engine has it.
 */
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_SHARED_RELAXED_WASM_BASE64, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from "./generated/kernels.js";

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
  packedAFloats(M: number, K: number): number;
  packAPanels(transA: number, M: number, K: number, a: number, lda: number, dst: number): void;
  packAJoined(M: number, K1: number, a1: number, lda1: number, K2: number, a2: number, lda2: number, dst: number): void;
  gemmBlockDepth(): number;
  gemmPrepacked(
    M: number, N: number, K: number, packedA: number, packedB: number,
    c: number, ldc: number, accumulate: number, bias: number, work: number,
  ): void;
  gemm(
    transA: number, transB: number, M: number, N: number, K: number, a: number, lda: number,
    b: number, ldb: number, c: number, ldc: number, accumulate: number, bias: number, packed: number, work: number,
  ): void;
  gemv(M: number, K: number, a: number, lda: number, x: number, y: number, accumulate: number, bias: number): void;
  colsumAccumulate(rows: number, cols: number, src: number, stride: number, dst: number): void;
  colsumWeighted(
    rows: number, cols: number, src: number, stride: number, w: number, wStride: number, dst: number, accumulate: number,
  ): void;
  sigmoidArray(n: number, src: number, dst: number): void;
  tanhArray(n: number, src: number, dst: number): void;
  expArray(n: number, src: number, dst: number): void;
  lstmForwardStep(B: number, H: number, U: number, gates: number, cPrev: number, c: number, h: number): void;
  lstmBackwardStep(
    B: number, H: number, U: number, gates: number, c: number, cPrev: number, dh: number, dc: number, dGates: number,
  ): void;
  gruForwardStep(B: number, H: number, U: number, gx: number, gh: number, hPrev: number, hn: number, h: number): void;
  gruBackwardStep(
    B: number, H: number, U: number, acts: number, hn: number, hPrev: number, dh: number, dgx: number, dgh: number,
    dhPrev: number,
  ): void;
  rnnForwardStep(B: number, H: number, U: number, code: number, a: number, h: number): void;
  rnnBackwardStep(B: number, H: number, U: number, code: number, h: number, dh: number, da: number): void;
  lstmForwardStepAct(B: number, H: number, U: number, ga: number, ca: number, gates: number, cPrev: number, c: number, h: number): void;
  lstmBackwardStepAct(
    B: number, H: number, U: number, ga: number, ca: number, gates: number, c: number, cPrev: number, dh: number, dc: number, dGates: number,
  ): void;
  gruForwardStepAct(B: number, H: number, U: number, ga: number, ca: number, gx: number, gh: number, hPrev: number, hn: number, h: number): void;
  gruBackwardStepAct(
    B: number, H: number, U: number, ga: number, ca: number, acts: number, hn: number, hPrev: number, dh: number, dgx: number, dgh: number,
    dhPrev: number,
  ): void;
  gruRbGates(B: number, H: number, ga: number, acts: number, hIn: number, rh: number): void;
  gruRbOutput(B: number, H: number, ca: number, acts: number, hPrev: number, h: number): void;
  gruRbBackwardOut(B: number, H: number, ga: number, ca: number, acts: number, hPrev: number, dh: number, dG: number, dhPrev: number): void;
  gruRbBackwardReset(B: number, H: number, ga: number, acts: number, hIn: number, dRh: number, dG: number, dHin: number): void;
  maskRows(rows: number, cols: number, src: number, ldSrc: number, mask: number, ldMask: number, dst: number, ldDst: number, accumulate: number): void;
  gatherRows(rows: number, cols: number, table: number, ldTable: number, index: number, bias: number, dst: number, ldDst: number): void;
  scatterAddRows(rows: number, cols: number, src: number, ldSrc: number, index: number, dst: number, ldDst: number): void;
  transposeAdd(rows: number, cols: number, src: number, ldSrc: number, dst: number, ldDst: number): void;
  peepholeForwardStep(B: number, H: number, U: number, gates: number, cPrev: number, c: number, h: number, p: number): void;
  peepholeBackwardStep(
    B: number, H: number, U: number, gates: number, c: number, cPrev: number, dh: number, dc: number, dGates: number, p: number, dp: number,
  ): void;
  layerNormRows(rows: number, n: number, src: number, xhat: number, rstd: number, slot: number): void;
  lnLstmForwardStep(
    B: number, H: number, hp: number, xhatI: number, xhatH: number, norms: number, rstd: number, acts: number, cPrev: number,
    xhatC: number, c: number, h: number,
  ): void;
  lnLstmBackwardStep(
    B: number, H: number, acts: number, c: number, cPrev: number, xhatI: number, xhatH: number, xhatC: number, rstd: number,
    norms: number, dh: number, dc: number, dGx: number, dGh: number, dNorms: number, scratch: number,
  ): void;  adamUpdate(
    n: number, p: number, g: number, m: number, v: number, vMax: number, flags: number, wd: number, shrink: number,
    b1: number, b2: number, oneMinusB1: number, oneMinusB2: number, bc2Sqrt: number, negStep: number, eps: number,
  ): void;
  sgdUpdate(n: number, p: number, g: number, buf: number, flags: number, wd: number, mu: number, keep: number, negLr: number): void;
  rmspropUpdate(
    n: number, p: number, g: number, sq: number, buf: number, mean: number, flags: number, wd: number, a: number,
    oneMinusA: number, eps: number, mu: number, negLr: number,
  ): void;
}

type KernelFunction = (...args: number[]) => number;

function isKernelFunction(value: unknown): value is KernelFunction {
  return typeof value === "function";
}

/** Which build: "single" owns its memory, "shared" imports a shared one. */
export type KernelBuild = "single" | "shared";

const BASE64: Record<`${KernelBuild}-${"strict" | "relaxed"}`, string> = {
  "single-strict": KERNELS_WASM_BASE64,
  "shared-strict": KERNELS_SHARED_WASM_BASE64,
  "single-relaxed": KERNELS_RELAXED_WASM_BASE64,
  "shared-relaxed": KERNELS_SHARED_RELAXED_WASM_BASE64,
};
type Variant = keyof typeof BASE64;

const bytes = new Map<Variant, Uint8Array<ArrayBuffer>>();
const compiled = new Map<Variant, WebAssembly.Module>();

/**
 * A module of one function using f32x4.relaxed_madd on three f32x4.splat(0) values: engines
 * without relaxed SIMD (Node 20 without --experimental-wasm-relaxed-simd) reject it.
 */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 28, 1, 26, 0,
  67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 253, 133, 2, 11,
]);

let relaxedSupported: boolean | null = null;

/** Whether this engine runs WebAssembly relaxed SIMD (Chromium, Node 22 and later). */
export function relaxedSimdSupported(): boolean {
  if (relaxedSupported === null) {
    try {
      relaxedSupported = typeof WebAssembly === "object" && WebAssembly.validate(RELAXED_SIMD_PROBE);
    } catch {
      relaxedSupported = false;
    }
  }
  return relaxedSupported;
}

function variant(build: KernelBuild, relaxed: boolean): Variant {
  return `${build}-${relaxed ? "relaxed" : "strict"}`;
}

/** The module's bytes, decoded once (atob exists in browsers and in Node >= 16). */
export function kernelBytes(build: KernelBuild = "single", relaxed = false): Uint8Array<ArrayBuffer> {
  const key = variant(build, relaxed);
  let out = bytes.get(key);
  if (out === undefined) {
    const text = atob(BASE64[key]);
    out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    bytes.set(key, out);
  }
  return out;
}

function unsupported(cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new Error(`wasm backend: this JavaScript engine cannot compile the SIMD kernels (WebAssembly SIMD is required): ${detail}`);
}

/** Compiles a kernel module synchronously, once per process and variant (strict SIMD unless `relaxed`). */
export function compileKernels(build: KernelBuild = "single", relaxed = false): WebAssembly.Module {
  const key = variant(build, relaxed);
  let module = compiled.get(key);
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(kernelBytes(build, relaxed));
    } catch (e) {
      throw unsupported(e);
    }
    compiled.set(key, module);
  }
  return module;
}

/** Compiles a kernel module off the main thread where the engine allows it, once per process and variant. */
export async function compileKernelsAsync(build: KernelBuild = "single", relaxed = false): Promise<WebAssembly.Module> {
  const key = variant(build, relaxed);
  let module = compiled.get(key);
  if (module === undefined) {
    try {
      module = await WebAssembly.compile(kernelBytes(build, relaxed));
    } catch (e) {
      throw unsupported(e);
    }
    compiled.set(key, module);
  }
  return module;
}

/**
 * A fresh instance of the compiled module: with its own linear memory, or on `memory` (shared)
 * for the shared build.
 */
export function instantiateKernels(module: WebAssembly.Module, memory?: WebAssembly.Memory): KernelExports {
  const imports: WebAssembly.Imports = memory === undefined ? {} : { env: { memory } };
  const exports = new WebAssembly.Instance(module, imports).exports;
  const own = exports["memory"];
  const mem = memory ?? own;
  if (!(mem instanceof WebAssembly.Memory)) throw new Error("wasm backend: the kernel module exports no memory");
  const fn = (name: string): KernelFunction => {
    const f = exports[name];
    if (!isKernelFunction(f)) throw new Error(`wasm backend: the kernel module exports no function "${name}"`);
    return f;
  };
  return {
    memory: mem,
    heapBase: fn("heapBase"),
    packedBFloats: fn("packedBFloats"),
    gemmWorkFloats: fn("gemmWorkFloats"),
    packB: fn("packB"),
    gemmPacked: fn("gemmPacked"),
    packedAFloats: fn("packedAFloats"),
    packAPanels: fn("packAPanels"),
    packAJoined: fn("packAJoined"),
    gemmBlockDepth: fn("gemmBlockDepth"),
    gemmPrepacked: fn("gemmPrepacked"),
    gemm: fn("gemm"),
    gemv: fn("gemv"),
    colsumAccumulate: fn("colsumAccumulate"),
    colsumWeighted: fn("colsumWeighted"),
    sigmoidArray: fn("sigmoidArray"),
    tanhArray: fn("tanhArray"),
    expArray: fn("expArray"),
    lstmForwardStep: fn("lstmForwardStep"),
    lstmBackwardStep: fn("lstmBackwardStep"),
    gruForwardStep: fn("gruForwardStep"),
    gruBackwardStep: fn("gruBackwardStep"),
    rnnForwardStep: fn("rnnForwardStep"),
    rnnBackwardStep: fn("rnnBackwardStep"),
    lstmForwardStepAct: fn("lstmForwardStepAct"),
    lstmBackwardStepAct: fn("lstmBackwardStepAct"),
    gruForwardStepAct: fn("gruForwardStepAct"),
    gruBackwardStepAct: fn("gruBackwardStepAct"),
    maskRows: fn("maskRows"),
    gruRbGates: fn("gruRbGates"),
    gruRbOutput: fn("gruRbOutput"),
    gruRbBackwardOut: fn("gruRbBackwardOut"),
    gruRbBackwardReset: fn("gruRbBackwardReset"),
    gatherRows: fn("gatherRows"),
    scatterAddRows: fn("scatterAddRows"),
    transposeAdd: fn("transposeAdd"),
    peepholeForwardStep: fn("peepholeForwardStep"),
    peepholeBackwardStep: fn("peepholeBackwardStep"),
    layerNormRows: fn("layerNormRows"),
    lnLstmForwardStep: fn("lnLstmForwardStep"),
    lnLstmBackwardStep: fn("lnLstmBackwardStep"),
    adamUpdate: fn("adamUpdate"),
    sgdUpdate: fn("sgdUpdate"),
    rmspropUpdate: fn("rmspropUpdate"),
  };
}
