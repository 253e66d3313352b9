import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  FASHION_SLICE_DIR,
  Progress,
  SEQMNIST_SCHEMA,
  SEQMNIST_TASK,
  checkConfig,
  encodeIdx,
  loadFashionMnist,
  readIdxFile,
  readMetricsLog,
} from "recurrent/node";
import type { TaskConfig } from "../../../src/tasks/task.js";

const quiet = (): Progress => new Progress({ mode: "quiet", out: { write: () => true } });

function config(overrides: Record<string, unknown> = {}): TaskConfig {
  const defaults: Record<string, unknown> = {};
  for (const o of SEQMNIST_SCHEMA.options) defaults[o.name] = o.default;
  return checkConfig(SEQMNIST_SCHEMA, {
    ...defaults,
    dataDir: FASHION_SLICE_DIR,
    trainSize: 192,
    valSize: 64,
    testSize: 200,
    hiddenSize: 16,
    epochs: 3,
    batchSize: 32,
    lr: 0.01,
    baseline: false,
    ...overrides,
  }, "test config");
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-seqmnist-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("seqmnist trains on the slice into a run folder, learns, and evaluates to the numbers it reported", async () => {
  await withTemp(async (dir) => {
    const runDir = join(dir, "run");
    const ctx = { runDir, resume: false, progress: quiet(), log: () => {} };
    const result = await SEQMNIST_TASK.train(config({ baseline: true }), ctx);
    assert.equal(result.aborted, false);
    for (const f of ["config.json", "metrics.jsonl", "loss.svg", "loss.png", "accuracy.svg", "final.json", "final.safetensors", "test.json", "checkpoints/epoch-0002.json"]) {
      assert.ok(existsSync(join(runDir, f)), `${f} is written`);
    }
    const rows = readMetricsLog(join(runDir, "metrics.jsonl"));
    assert.equal(rows.length, 3);
    assert.ok(rows[2]!["loss"]! < rows[0]!["loss"]!, `training loss falls: ${rows.map((r) => r["loss"]).join(", ")}`);
    assert.ok(rows.every((r) => r["val_accuracy"] !== undefined));
    // Ten classes: chance is 0.1; three epochs on 192 images already do far better.
    const acc = result.summary["test.accuracy"]!;
    assert.ok(acc > 0.3 && acc <= 1, `test accuracy ${acc}`);
    const base = result.summary["baseline.test.accuracy"]!;
    assert.ok(base > 0.3 && base <= 1, `baseline test accuracy ${base}`);
    assert.ok(existsSync(join(runDir, "baseline", "final.json")) && existsSync(join(runDir, "baseline", "metrics.jsonl")));
    const scored = await SEQMNIST_TASK.evaluate(runDir, { log: () => {} });
    assert.equal(scored["test.accuracy"], acc);
    assert.equal(scored["test.loss"], result.summary["test.loss"]);
    assert.equal(scored["test.count"], 200);
    assert.equal(scored["epoch"], 3);
  });
});

test("seqmnist resumes: 2 epochs then 2 more end bit-identical to 4 in one go", async () => {
  await withTemp(async (dir) => {
    const once = join(dir, "once");
    const twice = join(dir, "twice");
    const ctx = (runDir: string, resume: boolean) => ({ runDir, resume, progress: quiet(), log: () => {} });
    await SEQMNIST_TASK.train(config({ epochs: 4, cell: "gru" }), ctx(once, false));
    await SEQMNIST_TASK.train(config({ epochs: 2, cell: "gru" }), ctx(twice, false));
    const resumed = await SEQMNIST_TASK.train(config({ epochs: 4, cell: "gru" }), ctx(twice, true));
    assert.equal(resumed.aborted, false);
    assert.deepEqual(readFileSync(join(twice, "final.safetensors")), readFileSync(join(once, "final.safetensors")));
    await assert.rejects(SEQMNIST_TASK.train(config({ epochs: 5, cell: "gru", hiddenSize: 12 }), ctx(twice, true)), /another config \(hiddenSize 16 vs 12\)/);
    await assert.rejects(SEQMNIST_TASK.train(config(), ctx(once, false)), /already holds files/);
  });
});

test("seqmnist predict classifies the images of an IDX file with the run's model", async () => {
  await withTemp(async (dir) => {
    const runDir = join(dir, "run");
    await SEQMNIST_TASK.train(config({ epochs: 1 }), { runDir, resume: false, progress: quiet(), log: () => {} });
    const test = readIdxFile(join(FASHION_SLICE_DIR, "t10k-images-idx3-ubyte.gz"));
    const file = join(dir, "five.idx.gz");
    writeFileSync(file, gzipSync(encodeIdx([5, 28, 28], test.data.subarray(0, 5 * 784))));
    const predict = SEQMNIST_TASK.predict;
    assert.ok(predict !== undefined);
    const out = await predict(runDir, file, { log: () => {} });
    assert.ok(Array.isArray(out.json) && out.json.length === 5);
    const lines = out.text.split("\n");
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /^0\t(T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot)\t0\.\d{3}$/);
    writeFileSync(join(dir, "labels.idx"), encodeIdx([3], new Uint8Array(3)));
    await assert.rejects(predict(runDir, join(dir, "labels.idx"), { log: () => {} }), /must hold images \(N, 28, 28\), got dims \(3\)/);
  });
});

test("loadFashionMnist: the slice is the start of Debian's files; a missing folder names the package", () => {
  const slice = loadFashionMnist("test", FASHION_SLICE_DIR);
  assert.equal(slice.count, 500);
  const full = loadFashionMnist("test", undefined, 500);
  assert.deepEqual(slice.labels, full.labels);
  assert.deepEqual(slice.images, full.images);
  assert.equal(loadFashionMnist("train").count, 60000);
  assert.throws(() => loadFashionMnist("train", FASHION_SLICE_DIR, 1001), /asked for 1001 train images but .* holds 1000/);
  assert.throws(() => loadFashionMnist("train", "/nonexistent/fashion"), /the folder \/nonexistent\/fashion does not exist; give --data/);
});
