/**
 * Micro-benchmark of the wasm backend's kernels: GEMM throughput (the raw kernel on data already
 * in linear memory, and backend.gemm with its copies) and one W1-shaped LSTM training step
 * (T = 35, B = 32, I = 28, H = 256: forward with cache, then backward with every gradient).
 *
 *   node --conditions=source --import tsx bench/wasm-kernels.ts [--reps 20] [--reference]
 *
 * --reference also times the reference backend on the LSTM step (slow: seconds).
 */
import { parseArgs } from "node:util";
import type { Backend, RecurrentBackwardArgs, RecurrentForwardArgs } from "../src/backends/backend.js";
import { referenceBackend } from "../src/backends/reference/index.js";
import { Arena } from "../src/backends/wasm/arena.js";
import { createWasmBackend } from "../src/backends/wasm/index.js";
import { compileKernels, instantiateKernels } from "../src/backends/wasm/module.js";
import { Generator } from "../src/tensor/random.js";

const { values } = parseArgs({ options: { reps: { type: "string", default: "20" }, reference: { type: "boolean", default: false } } });
const reps = Number(values.reps);
const rng = new Generator(7);

function random(n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformRange(-scale, scale);
  return a;
}

/** Median and minimum milliseconds of `n` timed runs after two untimed ones. */
function time(fn: () => void, n: number): { median: number; min: number } {
  fn();
  fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[ts.length >> 1]!, min: ts[0]! };
}

const fmt = (ms: number): string => ms.toFixed(2).padStart(8);
const gflops = (flops: number, ms: number): string => (flops / ms / 1e6).toFixed(1).padStart(6);

// Raw GEMM kernel: operands already in linear memory, B packed inside the call.
const kernels = instantiateKernels(compileKernels());
const arena = new Arena(kernels.memory);
console.log("GEMM kernel (operands in wasm memory)            median ms   GFLOP/s (median, best)");
for (const [M, N, K] of [[256, 1024, 256], [1024, 1024, 1024], [32, 1024, 256]] as const) {
  for (const [tA, tB] of [[0, 0], [0, 1], [1, 0]] as const) {
    arena.reset(kernels.heapBase());
    const a = arena.alloc(M * K);
    const b = arena.alloc(K * N);
    const c = arena.alloc(M * N);
    const packed = arena.alloc(kernels.packedBFloats(K, N));
    const work = arena.alloc(kernels.gemmWorkFloats());
    const f = arena.view();
    f.set(random(M * K), a / 4);
    f.set(random(K * N), b / 4);
    const t = time(() => kernels.gemm(tA, tB, M, N, K, a, tA ? M : K, b, tB ? K : N, c, N, 0, 0, packed, work), M * N * K > 1e8 ? Math.max(3, reps >> 2) : reps * 5);
    const label = `${M}x${N}x${K} ${tA ? "T" : "N"}${tB ? "T" : "N"}`;
    console.log(`  ${label.padEnd(46)} ${fmt(t.median)}   ${gflops(2 * M * N * K, t.median)} ${gflops(2 * M * N * K, t.min)}`);
  }
}

const wasm = createWasmBackend();
console.log("backend.gemm (copies in and out included)");
for (const [M, N, K] of [[256, 1024, 256], [1024, 1024, 1024]] as const) {
  const A = random(M * K);
  const B = random(K * N);
  const C = new Float32Array(M * N);
  const t = time(() => wasm.gemm(false, true, M, N, K, A, B, C, false), M * N * K > 1e8 ? Math.max(3, reps >> 2) : reps * 5);
  console.log(`  ${`${M}x${N}x${K} NT`.padEnd(46)} ${fmt(t.median)}   ${gflops(2 * M * N * K, t.median)} ${gflops(2 * M * N * K, t.min)}`);
}

// W1: one LSTM layer, T = 35, B = 32, I = 28, H = 256.
const [T, B, I, H] = [35, 32, 28, 256];
const G = 4 * H;
const fwd: RecurrentForwardArgs = {
  mode: "lstm", T, B, I, H, P: H, reverse: false,
  x: random(T * B * I), wIh: random(G * I, 0.06), wHh: random(G * H, 0.06), bIh: random(G, 0.06), bHh: random(G, 0.06),
  wHr: null, h0: new Float32Array(B * H), c0: new Float32Array(B * H), training: true,
  out: new Float32Array(T * B * H), hN: new Float32Array(B * H), cN: new Float32Array(B * H),
};
const dOut = random(T * B * H);
const grads = {
  dx: new Float32Array(T * B * I), dh0: new Float32Array(B * H), dc0: new Float32Array(B * H),
  dWIh: new Float32Array(G * I), dWHh: new Float32Array(G * H), dBIh: new Float32Array(G), dBHh: new Float32Array(G),
  dWHr: null,
};

/** Milliseconds of the forward and backward halves of the latest lstmStep. */
const split: { forward: number[]; backward: number[] } = { forward: [], backward: [] };

function lstmStep(backend: Backend): void {
  const t0 = performance.now();
  const cache = backend.recurrentForward(fwd);
  const t1 = performance.now();
  const bwd: RecurrentBackwardArgs = { ...fwd, cache, out: fwd.out, dOut, dHN: null, dCN: null, ...grads };
  backend.recurrentBackward(bwd);
  split.forward.push(t1 - t0);
  split.backward.push(performance.now() - t1);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

// Matrix FLOPs of the step: forward input projection and recurrence, and their three backward GEMMs.
const stepFlops = 2 * T * B * G * (I + H) * 3;
console.log(`LSTM W1 (T=${T} B=${B} I=${I} H=${H})                  median ms   GFLOP/s of its GEMMs`);
const train = time(() => lstmStep(wasm), reps);
console.log(`  ${"wasm forward + backward".padEnd(46)} ${fmt(train.median)}   ${gflops(stepFlops, train.median)}  (best ${train.min.toFixed(2)} ms)`);
console.log(`  ${"  of which forward (training)".padEnd(46)} ${fmt(median(split.forward))}   ${gflops(stepFlops / 3, median(split.forward))}`);
console.log(`  ${"  of which backward".padEnd(46)} ${fmt(median(split.backward))}   ${gflops((2 * stepFlops) / 3, median(split.backward))}`);
const inference = time(() => wasm.recurrentForward({ ...fwd, training: false }), reps);
console.log(`  ${"wasm forward, inference".padEnd(46)} ${fmt(inference.median)}`);
// What keeping the cache in JS arrays would cost (resident caches avoid it): copy out, copy back.
arena.reset(kernels.heapBase());
const actsAt = arena.alloc(T * B * G) / 4;
const cellsAt = arena.alloc(T * B * H) / 4;
const view = arena.view();
const cacheCopy = time(() => {
  const acts = view.slice(actsAt, actsAt + T * B * G);
  const cells = view.slice(cellsAt, cellsAt + T * B * H);
  view.set(acts, actsAt);
  view.set(cells, cellsAt);
}, reps * 5);
console.log(`  ${"cache copy out and back in (avoided)".padEnd(46)} ${fmt(cacheCopy.median)}   (would be ${((100 * cacheCopy.median) / train.median).toFixed(1)}% of the step)`);
const single = { ...fwd, B: 1, x: random(T * I), h0: new Float32Array(H), c0: new Float32Array(H), out: new Float32Array(T * H), hN: new Float32Array(H), cN: new Float32Array(H), training: false };
const b1 = time(() => wasm.recurrentForward(single), reps * 5);
console.log(`  ${"wasm forward, inference, B=1".padEnd(46)} ${fmt(b1.median)}`);
if (values.reference) {
  const ref = time(() => lstmStep(referenceBackend), 3);
  console.log(`  ${"reference forward + backward".padEnd(46)} ${fmt(ref.median)}`);
}
