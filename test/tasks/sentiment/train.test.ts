import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Progress,
  SENTIMENT_DIR,
  SENTIMENT_SCHEMA,
  SENTIMENT_TASK,
  SentimentClassifier,
  Tensor,
  checkConfig,
  loadSentences,
  noGrad,
  parseLabelled,
  readMetricsLog,
  splitSentences,
  tokenizeSentence,
  type SentimentResults,
} from "recurrent/node";
import type { TaskConfig } from "../../../src/tasks/task.js";
import { cli, BACKEND } from "../../cli/helpers.js";

const quiet = (): Progress => new Progress({ mode: "quiet", out: { write: () => true } });

function config(overrides: Record<string, unknown> = {}): TaskConfig {
  const defaults: Record<string, unknown> = {};
  for (const o of SENTIMENT_SCHEMA.options) if (o.default !== undefined) defaults[o.name] = o.default;
  return checkConfig(
    SENTIMENT_SCHEMA,
    { ...defaults, dataDir: SENTIMENT_DIR, perSource: 100, models: "lstm", seeds: 1, embedSize: 16, hiddenSize: 16, epochs: 4, lr: 0.01, minFreq: 1, ...overrides },
    "test config",
  );
}

const root = mkdtempSync(join(tmpdir(), "recurrent-sentiment-"));
test.after(() => rmSync(root, { recursive: true, force: true }));
const ctx = (runDir: string, resume = false) => ({ runDir, resume, progress: quiet(), log: () => {} });

test("the tokeniser lowercases and keeps words (with inner apostrophes) and punctuation apart", () => {
  assert.deepEqual(tokenizeSentence("Don't buy it!! Worst   phone, EVER."), ["don't", "buy", "it", "!", "!", "worst", "phone", ",", "ever", "."]);
  assert.deepEqual(tokenizeSentence("Café crème 10/10"), ["café", "crème", "10", "/", "10"]);
  assert.deepEqual(tokenizeSentence("   "), []);
});

test("the shipped files: 3,000 sentences, balanced; the split is stratified by source and label, fixed by its seed", () => {
  const all = loadSentences(SENTIMENT_DIR);
  assert.equal(all.length, 3000);
  assert.equal(all.filter((s) => s.label === 1).length, 1500);
  // Some imdb lines end with two spaces before the tab: the sentence is trimmed.
  assert.ok(all.every((s) => s.text === s.text.trim()));
  const split = splitSentences(all, 0);
  assert.deepEqual([split.train.length, split.val.length, split.test.length], [2400, 300, 300]);
  for (const part of [split.train, split.val, split.test]) {
    for (const source of ["amazon_cells", "imdb", "yelp"]) {
      const mine = part.filter((s) => s.source === source);
      assert.equal(mine.length, part.length / 3, `${source} is a third`);
      assert.equal(mine.filter((s) => s.label === 1).length, mine.length / 2, `${source} is balanced`);
    }
  }
  assert.deepEqual(splitSentences(all, 0).test, split.test);
  assert.notDeepEqual(splitSentences(all, 1).test, split.test);
  const seen = new Set(split.train.map((s) => `${s.source}\t${s.text}`));
  assert.ok(split.test.filter((s) => seen.has(`${s.source}\t${s.text}`)).length < 5, "test sentences are not training sentences (a few duplicates exist in the data)");
});

test("bad data lines name the file, the line and what is wrong", () => {
  assert.throws(() => parseLabelled("good\t1\nno tab here\n", "yelp", "f.txt"), /f\.txt:2: expected "sentence<TAB>label", got a line without a tab/);
  assert.throws(() => parseLabelled("good\t2\n", "yelp", "f.txt"), /f\.txt:1: the label must be 0 or 1, got "2"/);
  assert.throws(() => parseLabelled("  \t1\n", "yelp", "f.txt"), /f\.txt:1: the sentence before the tab is empty/);
  assert.throws(() => loadSentences("/nonexistent/sentiment"), /the data folder \/nonexistent\/sentiment does not exist; give --data/);
  const dir = join(root, "partial");
  mkdirSync(dir);
  writeFileSync(join(dir, "amazon_cells_labelled.txt"), "fine\t1\n");
  assert.throws(() => loadSentences(dir), /has no imdb_labelled\.txt/);
});

test("the classifier reads each sentence up to its length: padding after it changes nothing (to rounding)", () => {
  for (const kind of ["lstm", "gru", "bilstm"] as const) {
    const model = new SentimentClassifier({ kind, vocabSize: 20, padIndex: 1, embedSize: 4, hiddenSize: 5 });
    model.eval();
    const short = noGrad(() => model.forward(new Tensor(Float32Array.of(2, 3, 4), [1, 3]), [3])).data;
    const padded = noGrad(() => model.forward(new Tensor(Float32Array.of(2, 3, 4, 1, 1, 5, 6, 7, 8, 9), [2, 5]), [3, 5])).data;
    // Equal up to float rounding: a batch of two runs its products over more rows than a batch of one.
    for (let k = 0; k < 2; k++) assert.ok(Math.abs(padded[k]! - short[k]!) < 1e-6, `${kind}: ${padded[k]} vs ${short[k]}`);
  }
  const model = new SentimentClassifier({ kind: "lstm", vocabSize: 20, padIndex: 1, embedSize: 4, hiddenSize: 5 });
  assert.throws(() => model.forward(new Tensor(Float32Array.of(1, 2, 3), [3]), [3]), /SentimentClassifier\(lstm, embedSize=4, hiddenSize=5\)\.forward: ids must be \(B, T\) token ids, got \[3\]/);
  assert.throws(() => new SentimentClassifier({ kind: "rnn" as "lstm", vocabSize: 5, padIndex: 1, embedSize: 2, hiddenSize: 2 }), /kind must be one of lstm, gru, bilstm/);
});

test("sentiment trains a small slice: loss falls, test accuracy above chance, baselines in the same run, evaluate agrees", async () => {
  const runDir = join(root, "run");
  const result = await SENTIMENT_TASK.train(config({ perSource: 200, epochs: 5, lr: 0.03, dropout: 0.1 }), ctx(runDir));
  assert.equal(result.aborted, false);
  for (const f of ["config.json", "vocab.json", "results.json", "loss.svg", "loss.png", "accuracy.svg", "lstm-seed0/final.json", "lstm-seed0/metrics.jsonl", "lstm-seed0/loss.svg", "bow-seed0/final.json"]) {
    assert.ok(existsSync(join(runDir, f)), `${f} is written`);
  }
  const rows = readMetricsLog(join(runDir, "lstm-seed0", "metrics.jsonl"));
  assert.equal(rows.length, 5);
  assert.ok(rows[4]!["loss"]! < rows[0]!["loss"]! / 2, `training loss falls: ${rows.map((r) => r["loss"]).join(", ")}`);
  assert.ok(rows.every((r) => typeof r["val_accuracy"] === "number" && typeof r["val_f1"] === "number"));
  const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")) as SentimentResults;
  assert.deepEqual(results.counts, { train: 480, val: 60, test: 60 });
  assert.deepEqual(results.models.map((m) => m.model), ["lstm", "bow"]);
  assert.equal(results.best, "lstm-seed0");
  const lstm = result.summary["lstm.test.accuracy.mean"]!;
  // Two balanced classes: chance is 0.5; five epochs on 480 sentences do better.
  assert.ok(lstm > 0.6 && lstm <= 1, `lstm test accuracy ${lstm}`);
  assert.ok(result.summary["bow.test.accuracy.mean"]! > 0.6, `bow test accuracy ${result.summary["bow.test.accuracy.mean"]}`);
  assert.equal(result.summary["lstm.test.accuracy.std"], 0, "one seed: std 0");
  // The majority class scores the share of its label in the test part.
  assert.equal(result.summary["majority.test.accuracy"], results.majority.accuracy);
  assert.ok(results.majority.accuracy > 0.3 && results.majority.accuracy < 0.7);
  const scored = await SENTIMENT_TASK.evaluate(runDir, { log: () => {} });
  assert.equal(scored["lstm-seed0.test.accuracy"], results.runs[0]!.test.accuracy);
  assert.equal(scored["bow-seed0.test.f1"], results.runs[1]!.test.f1);
  assert.equal(scored["lstm-seed0.epoch"], 5);

  const predict = SENTIMENT_TASK.predict!;
  const out = await predict(runDir, "This phone is great!", { log: () => {} });
  assert.match(out.text, /^(positive|negative)\t0\.\d{3}\t\(lstm-seed0\)$/);
  await assert.rejects(predict(runDir, "   ", { log: () => {} }), /predict sentiment: the text is empty/);
  await assert.rejects(predict(join(root, "missing"), "fine", { log: () => {} }), /not a run folder \(no config\.json\)/);
});

test("seeds give mean ± std per model; a resumed run ends bit-identical to one run in one go", async () => {
  const once = join(root, "once");
  const twice = join(root, "twice");
  const c = (epochs: number) => config({ models: "gru,bilstm", seeds: 2, epochs, perSource: 40 });
  const full = await SENTIMENT_TASK.train(c(3), ctx(once));
  assert.ok(full.summary["gru.test.accuracy.std"]! >= 0 && Number.isFinite(full.summary["bilstm.test.f1.mean"]));
  await SENTIMENT_TASK.train(c(1), ctx(twice));
  const resumed = await SENTIMENT_TASK.train(c(3), ctx(twice, true));
  assert.equal(resumed.aborted, false);
  for (const run of ["gru-seed0", "gru-seed1", "bilstm-seed1", "bow-seed1"]) {
    assert.deepEqual(readFileSync(join(twice, run, "final.safetensors")), readFileSync(join(once, run, "final.safetensors")), run);
  }
  assert.deepEqual(resumed.summary, full.summary);
  await assert.rejects(SENTIMENT_TASK.train(config({ models: "gru,bilstm", seeds: 2, epochs: 4, perSource: 40, hiddenSize: 12 }), ctx(twice, true)), /another config \(hiddenSize 16 vs 12\)/);
  await assert.rejects(SENTIMENT_TASK.train(c(3), ctx(once)), /already holds files/);
});

test("the CLI: bad options are refused with the flag named; train, evaluate and predict run end to end", async () => {
  const bad = await cli("train", "sentiment", "--models", "lstm,rnn", "--out", join(root, "bad"), "--backend", BACKEND);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--models: unknown model "rnn"; the models are lstm, gru, bilstm/);
  const unknown = await cli("train", "sentiment", "--hiden", "4");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--hiden/);
  const seeds = await cli("train", "sentiment", "--seeds", "0");
  assert.equal(seeds.code, 2);
  assert.match(seeds.stderr, /--seeds must be a positive integer, got "0"/);

  const out = join(root, "cli");
  const args = ["--per-source", "30", "--models", "gru", "--seeds", "1", "--epochs", "1", "--hidden", "8", "--embed", "8", "--backend", BACKEND, "--out", out, "--quiet"];
  const r = await cli("train", "sentiment", ...args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /gru\.test\.accuracy\.mean/);
  const e = await cli("evaluate", "sentiment", out, "--json");
  assert.equal(e.code, 0, e.stderr);
  assert.equal((JSON.parse(e.stdout) as Record<string, unknown>)["gru-seed0.epoch"], 1);
  const p = await cli("predict", "sentiment", out, "the food was awful", "--json");
  assert.equal(p.code, 0, p.stderr);
  const json = JSON.parse(p.stdout) as { result: { label: string; probability: number; tokens: string[] } };
  assert.ok(["positive", "negative"].includes(json.result.label) && json.result.probability >= 0.5);
  assert.deepEqual(json.result.tokens, ["the", "food", "was", "awful"]);
});
