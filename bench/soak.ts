// Memory check: runs N W1 training steps (default 10,000) in a loop that never yields and prints,
// along the way, the heap after a full garbage collection and the RSS; both must stay flat.
//   node --expose-gc --conditions=source --import tsx bench/soak.ts [steps] [hidden] [batch]
// (hidden and batch default to W1's 256 and 32; smaller ones make a 100,000-step soak affordable
// on the reference backend).
// (without --expose-gc the heap figure is the live heap, which includes uncollected garbage).
// The suite runs a short version of this loop: test/backends/heap.test.ts.
import { LSTM, Linear, oneHot, crossEntropy, SGD, manualSeed, getBackend, clipGradNorm } from "recurrent";
const steps = Number(process.argv[2] ?? 10000);
manualSeed(0);
const T = 35;
const B = Number(process.argv[4] ?? 32);
const V = 28;
const H = Number(process.argv[3] ?? 256);
const lstm = new LSTM({ inputSize: V, hiddenSize: H });
const dense = new Linear({ inFeatures: H, outFeatures: V });
const params = [...lstm.parameters(), ...dense.parameters()];
const opt = new SGD(params, { lr: 0.1 });
const idx = new Int32Array(T * B).map((_, i) => (i * 7) % V);
const tgt = new Int32Array(T * B).map((_, i) => (i * 5) % V);
let peak = 0;
const t0 = performance.now();
for (let s = 1; s <= steps; s++) {
  const x = oneHot(idx, V, [T, B]);
  const [out] = lstm.forward(x);
  const loss = crossEntropy(dense.forward(out.reshape([T * B, H])), tgt);
  opt.zeroGrad();
  loss.backward();
  clipGradNorm(params, 1);
  opt.step();
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  if (s === 100 || s === 1000 || s % Math.max(2500, steps / 20) === 0) {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapMiB = +(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1);
    const fields = { step: s, heapAfterGcMiB: gc === undefined ? null : heapMiB, heapMiB, rssMiB: +(rss / 2 ** 20).toFixed(1), peakMiB: +(peak / 2 ** 20).toFixed(1) };
    console.log(JSON.stringify({ ...fields, loss: +loss.item().toFixed(4), msPerStep: +((performance.now() - t0) / s).toFixed(2), backend: getBackend().name }));
  }
}
