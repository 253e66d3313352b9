// Garbage-collection cost of training: runs N training steps of W1 (or W5) and prints V8's GC
// time per 1,000 steps (PerformanceObserver "gc" entries), its share of the step time, and the
// heap after a full collection at intervals (flat = no growth).
//   node --expose-gc --conditions=source --import tsx bench/gc.ts [steps] [--workload W1|W5] [--clip] [--keep-grads]
// The wasm backend's thread count follows RECURRENT_WASM_THREADS (default: all cores).
import { PerformanceObserver } from "node:perf_hooks";
import { LSTM, Linear, SGD, clipGradNorm, crossEntropy, getBackend, manualSeed, mseLoss, oneHot, tensor, type Tensor } from "recurrent";

const args = process.argv.slice(2);
const steps = Number(args.find((a) => !a.startsWith("--")) ?? 1000);
const workload = args.includes("--workload") ? args[args.indexOf("--workload") + 1] : "W1";
const clip = args.includes("--clip");
// --keep-grads: zeroGrad(false), which keeps the gradient arrays (the pool then reuses the backward's).
const keepGrads = args.includes("--keep-grads");
if (!Number.isInteger(steps) || steps < 1) throw new Error(`bench/gc: steps must be a positive integer, got ${steps}`);
if (workload !== "W1" && workload !== "W5") throw new Error(`bench/gc: --workload must be W1 or W5, got ${workload}`);

manualSeed(0);
const w5 = workload === "W5";
const [T, B, I, H, O] = w5 ? [50, 64, 1, 64, 1] : [35, 32, 28, 256, 28];
const lstm = new LSTM({ inputSize: I, hiddenSize: H });
const dense = new Linear({ inFeatures: H, outFeatures: O });
const params = [...lstm.parameters(), ...dense.parameters()];
const opt = new SGD(params, { lr: 0.1 });
const idx = new Int32Array(T * B).map((_, i) => (i * 7) % I);
const tgt = new Int32Array(T * B).map((_, i) => (i * 5) % O);
const x: Tensor = w5 ? tensor(Float32Array.from({ length: T * B }, (_, i) => Math.sin(i)), [T, B, 1]) : oneHot(idx, I, [T, B]);
const y: Tensor = tensor(Float32Array.from({ length: T * B }, (_, i) => Math.cos(i)), [T * B, 1]);

function step(): Tensor {
  const [out] = lstm.forward(x);
  const pred = dense.forward(out.reshape([T * B, H]));
  const loss = w5 ? mseLoss(pred, y) : crossEntropy(pred, tgt);
  opt.zeroGrad(keepGrads ? false : undefined);
  loss.backward();
  if (clip) clipGradNorm(params, 1);
  opt.step();
  return loss;
}

const gcFn = (globalThis as { gc?: () => void }).gc;
const heapAfterGc = (): number | null => {
  if (gcFn === undefined) return null;
  gcFn();
  return +(process.memoryUsage().heapUsed / 2 ** 20).toFixed(2);
};

for (let i = 0; i < 20; i++) step(); // warm-up: JIT, wasm memory growth
let gcMs = 0;
let gcCount = 0;
// Observer callbacks run between macrotasks; the loop yields every 100 steps so they arrive.
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    gcCount++;
  }
});
obs.observe({ entryTypes: ["gc"] });
const heaps: { step: number; heapAfterGcMiB: number | null }[] = [{ step: 0, heapAfterGcMiB: heapAfterGc() }];
const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));
await yieldNow();
gcMs = 0;
gcCount = 0;
let stepMs = 0;
let lastLoss = 0;
const every = Math.max(100, Math.floor(steps / 4));
for (let s = 1; s <= steps; s++) {
  const t0 = performance.now();
  lastLoss = step().item();
  stepMs += performance.now() - t0;
  if (s % 100 === 0) await yieldNow();
  if (s % every === 0 && s < steps) {
    // Collections forced here are not counted: stop counting while forcing one.
    const [msBefore, countBefore] = [gcMs, gcCount];
    const h = heapAfterGc();
    await yieldNow();
    [gcMs, gcCount] = [msBefore, countBefore];
    heaps.push({ step: s, heapAfterGcMiB: h });
  }
}
await yieldNow();
const gcTotal = gcMs;
heaps.push({ step: steps, heapAfterGcMiB: heapAfterGc() });
obs.disconnect();
console.log(
  JSON.stringify({
    workload,
    steps,
    clip,
    keepGrads,
    backend: getBackend().name,
    threads: (getBackend() as { threads?: number }).threads ?? 1,
    msPerStep: +(stepMs / steps).toFixed(3),
    gcMsPer1000Steps: +((gcTotal / steps) * 1000).toFixed(1),
    gcCollectionsPer1000Steps: +((gcCount / steps) * 1000).toFixed(1),
    gcShareOfStepTime: +(gcTotal / stepMs).toFixed(4),
    heapAfterGcMiB: heaps,
    loss: +lastLoss.toFixed(4),
  }),
);
