import { test } from "node:test";
import assert from "node:assert/strict";
import type { MachineInfo } from "../../bench/machine.js";
import { formatRatio, formatValue, renderEfficiency, renderTable, speedRatio } from "../../bench/report.js";
import type { BenchResult } from "../../bench/result.js";
import { flopsPerStep, selectWorkloads } from "../../bench/workloads.js";
import { Seq2Seq } from "../../src/tasks/seq2seq/model.js";

const machine: MachineInfo = { cpu: "Test CPU", cores: 2, memoryGiB: 8, node: "v20.0.0", os: "linux", load1: 0 };
const r = (peer: string, workload: string, value: number, higherIsBetter: boolean, steps = 10): BenchResult => ({ peer, workload, metric: higherIsBetter ? "tokens/s" : "ms/seq", value, higherIsBetter, steps, peakRssMiB: 100.4 });

test("speedRatio is > 1 when ours is better, for both metric directions", () => {
  assert.equal(speedRatio(r("ours", "W1", 300, true), r("torch-1t", "W1", 100, true)), 3);
  // Latency: ours takes 2 ms, the peer 8 ms, so ours is 4x better.
  assert.equal(speedRatio(r("ours", "W4-b1", 2, false), r("torch-1t", "W4-b1", 8, false)), 4);
});

test("formatValue keeps four significant digits", () => {
  assert.equal(formatValue(12345.6), "12346");
  assert.equal(formatValue(123.456), "123.5");
  assert.equal(formatValue(1.65849), "1.658");
  assert.equal(formatValue(0.012345), "0.01235");
  assert.equal(formatRatio(6.678), "6.68x");
});

test("renderTable: values, inverted latency ratios, n/a cells, few-step marks and reasons", () => {
  const workloads = selectWorkloads(["W1", "W4-b1"]);
  const results = [
    r("ours", "W1", 20000, true),
    r("torch-1t", "W1", 4000, true),
    r("tfjs-cpu", "W1", 300, true, 2),
    r("ours", "W4-b1", 2, false),
    { ...r("tfjs-wasm", "W4-b1", 10, false), cpuShare: 0.5 },
  ];
  const text = renderTable({ machine, workloads, results, metas: [{ peer: "torch-1t", meta: { torch: "1.13" } }], skips: [], missing: [{ peer: "torch-2t", reason: "not run: no torch" }] });
  const w1 = text.split("\n").find((l) => l.startsWith("W1 "));
  const w4 = text.split("\n").find((l) => l.startsWith("W4-b1 "));
  assert.ok(w1 && w4, text);
  assert.deepEqual(w1.split(/\s{2,}/), ["W1", "tokens/s (higher better)", "20000", "n/a", "4000", "n/a", "n/a", "300.0*", "5.00x", "n/a", "n/a", "n/a"]);
  assert.deepEqual(w4.split(/\s{2,}/), ["W4-b1", "ms/seq (lower better)", "2.000", "n/a", "n/a", "n/a", "10.00~", "n/a", "n/a", "n/a", "5.00x", "n/a"]);
  assert.match(text, /Test CPU, 2 cores/);
  assert.match(text, /torch-1t: torch=1\.13/);
  assert.match(text, /torch-2t: not run: no torch/);
  assert.match(text, /\* median of fewer than 3 timed steps/);
  assert.match(text, /~ the runner got less than 0\.9 of a core .*: tfjs-wasm W4-b1 0\.50$/m);
  assert.match(text, /Peak RSS during W1, MiB .*ours 100, ours-2t n\/a, torch-1t 100, torch-2t n\/a/);
});

test("renderEfficiency: achieved GFLOP/s from the median step, and its share of the runner's GEMM peak", () => {
  const workloads = selectWorkloads(["W1", "W4-b1"]);
  const flops = flopsPerStep(workloads[0]!);
  // A median step of exactly flops / 20e9 s runs at 20 GFLOP/s: 50% of a 40 GFLOP/s peak.
  const results = [{ ...r("ours", "W1", 1, true), medianMs: flops / 20e6 }, { ...r("torch-1t", "W1", 1, true), medianMs: flops / 50e6 }];
  const metas = [{ peer: "ours", meta: { gemmPeakGflops: "40.0" } }];
  const lines = renderEfficiency({ workloads, results, metas });
  assert.match(lines[0]!, /measured in this run: ours 40\.0, ours-2t n\/a, torch-1t n\/a, torch-2t n\/a GFLOP\/s/);
  const w1 = lines[1]!.split("\n").find((l) => l.startsWith("W1 "));
  assert.ok(w1, lines[1]);
  assert.deepEqual(w1.split(/\s{2,}/), ["W1", (flops / 1e9).toFixed(3), "20.0 (50%)", "n/a", "50.0", "n/a"]);
});

test("flopsPerStep: the W1 LSTM step is about 2 GFLOP, training about three times its forward", () => {
  const [w1] = selectWorkloads(["W1"]);
  // Forward products: 2·(T·B)·(I + H)·4H = 2·1120·284·1024.
  const products = 2 * 1120 * 284 * 1024;
  const f = flopsPerStep(w1!);
  assert.ok(f > 3 * products && f < 3.1 * products, `W1: ${f}`);
  const [b1] = selectWorkloads(["W4-b1"]);
  assert.ok(flopsPerStep(b1!) < 2 * 100 * 284 * 1024 * 1.01, "inference is forward only");
});

test("flopsPerStep: W7 counts the encoder on real source tokens, the decoder and head on all T·B rows, plus Adam per parameter", () => {
  const [w7] = selectWorkloads(["W7"]);
  // The task's model at W7's sizes: its real parameter count, which Adam updates whole.
  const model = new Seq2Seq({ sourceVocab: 194, targetVocab: 211, embedSize: 256, hiddenSize: 256, numLayers: 2 });
  const params = model.parameters().reduce((n, p) => n + p.size, 0);
  // G = 3·256; the encoder runs the 381 real source tokens (layer inputs 256, 256), the decoder
  // all 9·64 rows (inputs 512: embedding and context, then 256).
  const N = 9 * 64;
  const layer = (rows: number, inputs: number) => 2 * rows * (inputs + 256) * 768 + 9 * rows * 256;
  const forward = layer(381, 256) + layer(381, 256) + layer(N, 512) + layer(N, 256) + 2 * N * 256 * 211;
  assert.equal(flopsPerStep(w7!), 3 * forward + 13 * params);
});
