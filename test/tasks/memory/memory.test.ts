import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manualSeed, mseLoss } from "recurrent";
import { addingProblem, hiddenGradNorms, MemoryModel, resolveMemoryConfig, TRIVIAL_MSE, trainMemory } from "../../../src/tasks/memory/index.js";
import { BACKEND, cli } from "../../cli/helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-memory-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

test("the adding problem: two markers, one per half, and the target is their values' sum", () => {
  const d = addingProblem(200, 10, 3);
  const x = d.x.toArray();
  const y = d.y!.toArray();
  let mse = 0;
  for (let s = 0; s < 200; s++) {
    const marked: number[] = [];
    let sum = 0;
    for (let t = 0; t < 10; t++) {
      const [v, m] = [x[(s * 10 + t) * 2]!, x[(s * 10 + t) * 2 + 1]!];
      assert.ok(v >= 0 && v < 1 && (m === 0 || m === 1));
      if (m === 1) {
        marked.push(t);
        sum += v;
      }
    }
    assert.equal(marked.length, 2);
    assert.ok(marked[0]! < 5 && marked[1]! >= 5);
    assert.ok(Math.abs(y[s]! - sum) < 1e-6);
    mse += (y[s]! - 1) ** 2 / 200;
  }
  // The trivial answer's MSE is 1/6 in expectation; 200 samples land within a few hundredths.
  assert.ok(Math.abs(mse - TRIVIAL_MSE) < 0.04, String(mse));
  assert.deepEqual(addingProblem(5, 10, 3).x.toArray(), addingProblem(5, 10, 3).x.toArray());
});

test("hiddenGradNorms: the last step's norm is the head's gradient, and the cell loop matches the layer", () => {
  for (const cell of ["rnn", "lstm", "gru", "relu"] as const) {
    manualSeed(1);
    const model = new MemoryModel(cell, 6);
    const d = addingProblem(4, 7, 1);
    const norms = hiddenGradNorms(model, d.x, d.y!);
    assert.equal(norms.length, 7);
    assert.ok(norms.every((v) => Number.isFinite(v) && v >= 0));
    // dL/dh_T = 2/B · (out − y) · w_head for MSE over B outputs: its norm from the layer's own forward.
    const out = model.forward(d.x).toArray();
    const y = d.y!.toArray();
    const w = model.head.weight.toArray();
    let s = 0;
    for (let b = 0; b < 4; b++) for (const wj of w) s += ((2 / 4) * (out[b]! - y[b]!) * wj) ** 2;
    assert.ok(Math.abs(norms[6]! - Math.sqrt(s)) < 1e-5 * Math.max(1, Math.sqrt(s)), `${cell}: ${norms[6]} vs ${Math.sqrt(s)}`);
    assert.ok(model.parameters().every((p) => p.grad === null || p.grad.toArray().every((g) => g === 0)));
    assert.ok(mseLoss(model.forward(d.x), d.y!).item() > 0);
  }
});

test("trainMemory writes every run's folder, results and the three plots; evaluate agrees", async () => {
  const runDir = join(root, "lib");
  const config = resolveMemoryConfig({ length: 8, cells: "rnn,gru", hiddenSize: 4, trainSize: 40, testSize: 20, batchSize: 20, numEpochs: 2, explodeGain: 4 });
  const r = await trainMemory({ config, runDir });
  assert.equal(r.aborted, false);
  assert.deepEqual(r.results?.runs.map((x) => x.name), ["rnn", "gru", "relu-clip", "relu-noclip"]);
  for (const f of ["config.json", "results.json", "loss.svg", "gradnorm.svg", "exploding.svg", "rnn/metrics.jsonl", "rnn/final.json", "gru/loss.svg"]) assert.ok(existsSync(join(runDir, f)), f);
  for (const run of r.results!.runs) {
    assert.equal(run.gradInit.length, 8);
    if (run.divergedAt === null) assert.equal(run.testMse.length, 2);
  }
  const ev = await cli("evaluate", "memory", runDir, "--json", "--backend", BACKEND);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  const gru = r.results!.runs.find((x) => x.name === "gru")!;
  assert.ok(Math.abs(scores["gru.testMse"]! - gru.finalTestMse) < 1e-5, `${scores["gru.testMse"]} vs ${gru.finalTestMse}`);
  assert.throws(() => resolveMemoryConfig({ cells: "lstm,tree" }), /cells must list rnn, lstm or gru \(comma-separated\), got "tree"/);
});

test("recurrent train memory: interrupted by its epochs, resumed to more", async () => {
  const out = join(root, "cli");
  const flags = ["--length", "6", "--cells", "lstm", "--skip-exploding", "--hidden", "3", "--train-size", "20", "--test-size", "10", "--batch", "10", "--checkpoint-every", "1", "--backend", BACKEND];
  const first = await cli("train", "memory", ...flags, "--epochs", "1", "--out", out, "--quiet");
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /lstm\.testMse\s+\d+\.\d+/);
  rmSync(join(out, "lstm", "result.json"));
  const resumed = await cli("train", "memory", "--resume", out, "--epochs", "3", "--json", "--backend", BACKEND);
  assert.equal(resumed.code, 0, resumed.stderr);
  const epochs = resumed.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; epoch?: number }).filter((e) => e.event === "epoch");
  assert.deepEqual(epochs.map((e) => e.epoch), [2, 3]);
  const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { runs: { testMse: number[] }[] };
  assert.equal(results.runs[0]!.testMse.length, 3);
});
