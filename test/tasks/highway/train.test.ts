import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeepNet, FASHION_SLICE_DIR, HIGHWAY_SCHEMA, HIGHWAY_TASK, Progress, checkConfig, parseDepths, manualSeed, randn } from "recurrent/node";
import type { TaskConfig } from "../../../src/tasks/task.js";

const quiet = (): Progress => new Progress({ mode: "quiet", out: { write: () => true } });

function config(overrides: Record<string, unknown> = {}): TaskConfig {
  const defaults: Record<string, unknown> = {};
  for (const o of HIGHWAY_SCHEMA.options) defaults[o.name] = o.default;
  return checkConfig(HIGHWAY_SCHEMA, {
    ...defaults,
    dataDir: FASHION_SLICE_DIR,
    trainSize: 128,
    testSize: 100,
    depths: "3,6",
    plainWidth: 12,
    highwayWidth: 8,
    epochs: 2,
    batchSize: 32,
    lr: 0.01,
    lstm: false,
    ...overrides,
  }, "test config");
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-highway-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Row {
  name: string;
  losses: number[];
  testAccuracy: number | null;
  diverged: boolean;
  parameters: number;
}

const ctx = (runDir: string, resume = false) => ({ runDir, resume, progress: quiet(), log: () => {} });

test("highway trains plain and highway nets at each depth and the LSTM into one run folder, and evaluates to the same numbers", async () => {
  await withTemp(async (dir) => {
    const runDir = join(dir, "run");
    const result = await HIGHWAY_TASK.train(config({ lstm: true, lstmHidden: 8 }), ctx(runDir));
    assert.equal(result.aborted, false);
    for (const f of ["config.json", "results.json", "loss.svg", "loss.png", "lstm-vs-highway.svg", "plain-3/final.json", "highway-6/metrics.jsonl", "lstm/final.safetensors"]) {
      assert.ok(existsSync(join(runDir, f)), `${f} is written`);
    }
    const rows = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")) as Row[];
    assert.deepEqual(rows.map((r) => r.name), ["plain-3", "highway-3", "plain-6", "highway-6", "lstm"]);
    for (const r of rows) {
      assert.equal(r.losses.length, 2);
      assert.equal(r.diverged, false);
      assert.ok(r.testAccuracy !== null && r.testAccuracy > 0.1, `${r.name}: test accuracy ${r.testAccuracy} beats chance`);
    }
    // Width 12 plain: 784·12+12 + 4·(12·12+12) + 12·10+10; width 8 highway: 784·8+8 + 4·2·(8·8+8) + 8·10+10.
    assert.equal(rows.find((r) => r.name === "plain-6")!.parameters, 784 * 12 + 12 + 4 * (12 * 12 + 12) + 12 * 10 + 10);
    assert.equal(rows.find((r) => r.name === "highway-6")!.parameters, 784 * 8 + 8 + 4 * 2 * (8 * 8 + 8) + 8 * 10 + 10);
    const svg = readFileSync(join(runDir, "loss.svg"), "utf8");
    for (const label of ["plain 3", "plain 6", "highway 3", "highway 6"]) assert.ok(svg.includes(label), `the plot's legend names ${label}`);
    const scored = await HIGHWAY_TASK.evaluate(runDir, { log: () => {} });
    for (const r of rows) assert.equal(scored[`${r.name}.test.accuracy`], result.summary[`${r.name}.test.accuracy`]);
    assert.equal(scored["highway-6.epoch"], 2);
  });
});

test("highway resumes: 1 epoch, then raised to 2, ends bit-identical to 2 in one go", async () => {
  await withTemp(async (dir) => {
    await HIGHWAY_TASK.train(config({ depths: "4" }), ctx(join(dir, "once")));
    await HIGHWAY_TASK.train(config({ depths: "4", epochs: 1 }), ctx(join(dir, "twice")));
    await HIGHWAY_TASK.train(config({ depths: "4" }), ctx(join(dir, "twice"), true));
    for (const net of ["plain-4", "highway-4"]) {
      assert.deepEqual(readFileSync(join(dir, "twice", net, "final.safetensors")), readFileSync(join(dir, "once", net, "final.safetensors")), net);
    }
    await assert.rejects(HIGHWAY_TASK.train(config({ depths: "4", plainWidth: 13 }), ctx(join(dir, "twice"), true)), /started with another config \(plainWidth 12 vs 13\)/);
  });
});

test("a diverging network is reported as such and the others still train", async () => {
  await withTemp(async (dir) => {
    const runDir = join(dir, "run");
    const result = await HIGHWAY_TASK.train(config({ depths: "12", plainWidth: 64, epochs: 1, lr: 100000, clip: 1e30 }), ctx(runDir));
    const rows = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")) as Row[];
    const plain = rows.find((r) => r.name === "plain-12")!;
    assert.equal(plain.diverged, true);
    assert.ok(Number.isNaN(result.summary["plain-12.test.accuracy"]));
    assert.equal(rows.length, 2);
  });
});

test("DeepNet: He-normal weights, gate biases as asked, and the depth counts every layer with weights", () => {
  manualSeed(1);
  const plain = new DeepNet({ kind: "plain", depth: 5, width: 400, inputSize: 400, numClasses: 10 });
  assert.equal(plain.hidden.length, 3);
  const w = plain.hidden[0]!.weight.data;
  let ss = 0;
  for (const v of w) ss += v * v;
  const std = Math.sqrt(ss / w.length);
  assert.ok(Math.abs(std - Math.sqrt(2 / 400)) < 0.002, `std ${std} vs ${Math.sqrt(2 / 400)}`);
  const hw = new DeepNet({ kind: "highway", depth: 5, width: 8, inputSize: 20, numClasses: 3, gateBias: -3 });
  assert.equal(hw.highway!.layers.length, 3);
  assert.deepEqual(Array.from(hw.highway!.layers[2]!.bias_t.data), new Array(8).fill(-3));
  assert.deepEqual(hw.forward(randn([4, 20])).shape, [4, 3]);
  assert.throws(() => new DeepNet({ kind: "plain", depth: 2, width: 4, inputSize: 4, numClasses: 2 }), /depth must be an integer of at least 3/);
  assert.deepEqual(parseDepths("10, 20,50,100"), [10, 20, 50, 100]);
  assert.throws(() => parseDepths("10,2"), /from 3 to 1000.*"2"/);
  assert.throws(() => parseDepths("10,10"), /lists a depth twice/);
});
