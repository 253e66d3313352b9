import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { TORCH_PYTHON, repoRoot } from "../../bench/runners.js";
import { LEARNING_RATE, WORKLOADS, denseInputSize, maskedLengths, metricValue, selectWorkloads, tokensPerStep } from "../../bench/workloads.js";
import { PAD } from "../../src/data/text/translation.js";
import { SEQ2SEQ_DEFAULTS } from "../../src/tasks/seq2seq/schema.js";
import { loadTranslationData, resolveSeq2SeqConfig } from "../../src/tasks/seq2seq/data.js";

test("selectWorkloads: ids and groups, in table order", () => {
  assert.deepEqual(selectWorkloads(["W4", "w1"]).map((w) => w.id), ["W1", "W4-b1", "W4-b64"]);
  assert.deepEqual(selectWorkloads(["W2-gru"]).map((w) => w.id), ["W2-gru"]);
  assert.equal(selectWorkloads(null).length, WORKLOADS.length);
  assert.throws(() => selectWorkloads(["W9"]), /unknown workload "W9"/);
  // A prefix that is not a whole group name must not match (W2-g is not W2-gru).
  assert.throws(() => selectWorkloads(["W2-g"]), /unknown workload/);
});

test("metricValue converts seconds per step into each metric", () => {
  const byId = (id: string) => {
    const w = WORKLOADS.find((x) => x.id === id);
    assert.ok(w, id);
    return w;
  };
  assert.equal(metricValue(byId("W1"), 0.5), (32 * 35) / 0.5);
  assert.equal(metricValue(byId("W5"), 0.25), 4);
  assert.equal(metricValue(byId("W4-b1"), 0.002), 2);
  assert.equal(metricValue(byId("W4-b64"), 0.5), 128);
});

test("W6's lengths spread over [10, 60] and its tokens/s counts real tokens only", () => {
  const w6 = WORKLOADS.find((w) => w.id === "W6");
  assert.ok(w6?.masked, "W6 is the masked workload");
  const lengths = [...maskedLengths(w6)];
  assert.equal(lengths.length, 64);
  assert.equal(Math.min(...lengths), 10);
  assert.equal(Math.max(...lengths), 60);
  assert.equal(new Set(lengths).size, 51, "every length in [10, 60] occurs");
  const real = lengths.reduce((a, b) => a + b, 0);
  assert.ok(real < 64 * 60);
  assert.equal(tokensPerStep(w6), real);
  assert.equal(metricValue(w6, 0.5), real / 0.5);
  assert.throws(() => maskedLengths(WORKLOADS[0]!), /workload W1 is not a masked workload/);
});

test("W7's lengths spread over [3, 9] and its tokens/s counts real target tokens only", () => {
  const [w7] = selectWorkloads(["w7"]);
  assert.ok(w7?.seq2seq, "W7 is the encoder-decoder workload");
  const lengths = [...maskedLengths(w7)];
  assert.equal(lengths.length, 64);
  assert.deepEqual([...new Set(lengths)].sort((a, b) => a - b), [3, 4, 5, 6, 7, 8, 9]);
  const real = lengths.reduce((a, b) => a + b, 0);
  assert.equal(real, 9 * (3 + 4 + 5 + 6 + 7 + 8 + 9) + 3, "nine full cycles of 3..9, then b = 63 gives 3");
  assert.equal(tokensPerStep(w7), real);
  assert.equal(metricValue(w7, 0.5), real / 0.5);
});

test("W7's sizes are the translation task's defaults and its fra-eng vocabularies", () => {
  const [w7] = selectWorkloads(["W7"]);
  const spec = w7?.seq2seq;
  assert.ok(w7 && spec);
  const d = SEQ2SEQ_DEFAULTS;
  assert.deepEqual(
    { cell: w7.cell, E: w7.inputSize, H: w7.hiddenSize, L: w7.numLayers, T: w7.seqLen, dropout: spec.dropout, lr: spec.lr },
    { cell: "gru", E: d.embedSize, H: d.hiddenSize, L: d.numLayers, T: d.numSteps, dropout: d.dropout, lr: d.lr },
  );
  const data = loadTranslationData(resolveSeq2SeqConfig({}));
  assert.equal(spec.sourceVocab, data.source.length);
  assert.equal(w7.outputSize, data.target.length);
  // The shortest real target of the training pairs (labels up to "<eos>") is minLen tokens.
  const { labels, numSteps, count } = data.train;
  const pad = data.target.indexOf(PAD);
  const targetLengths = Array.from({ length: count }, (_, r) => labels.subarray(r * numSteps, (r + 1) * numSteps).filter((y) => y !== pad).length);
  assert.equal(Math.min(...targetLengths), spec.minLen);
});

test("the dense layer sees D*H features", () => {
  assert.equal(denseInputSize(WORKLOADS.find((w) => w.id === "W3-bilstm") ?? WORKLOADS[0]), 256);
  assert.equal(denseInputSize(WORKLOADS.find((w) => w.id === "W5") ?? WORKLOADS[0]), 64);
});

test("ids are unique and latency metrics are the only lower-is-better ones", () => {
  assert.equal(new Set(WORKLOADS.map((w) => w.id)).size, WORKLOADS.length);
  for (const w of WORKLOADS) assert.equal(w.higherIsBetter, w.metric !== "ms/seq", w.id);
});

// --list needs only the Python standard library (torch is imported lazily), so this runs everywhere.
test("peers/torch_bench.py runs the same workloads as workloads.ts", () => {
  const r = spawnSync(TORCH_PYTHON, [join(repoRoot, "bench", "peers", "torch_bench.py"), "--list"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const listed: unknown = JSON.parse(r.stdout);
  const expected = { workloads: WORKLOADS.map(({ title: _title, ...rest }) => rest), learningRate: LEARNING_RATE };
  assert.deepEqual(listed, expected);
});
