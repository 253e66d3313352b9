import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tensor, manualSeed } from "recurrent";
import { BOS, EOS } from "../../../src/data/text/translation.js";
import { beamDecode, greedyDecode, loadSeq2Seq, resolveSeq2SeqConfig, takeRows, trainSeq2Seq, type Seq2Seq, type Seq2SeqConfig, type SourceBatch } from "../../../src/tasks/seq2seq/index.js";
import { BACKEND, cli } from "../../cli/helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-seq2seq-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** A run of a second or two: 80 pairs, 16 held out, widths 12, 6 steps. */
const TINY = { pairs: 80, heldOut: 16, embedSize: 12, hiddenSize: 12, numLayers: 2, numSteps: 6, batchSize: 16, lr: 0.02, dropout: 0.1, epochs: 4, checkpointEvery: 1 };
const TINY_FLAGS = ["--pairs", "80", "--held-out", "16", "--embed", "12", "--hidden", "12", "--steps", "6", "--batch-size", "16", "--lr", "0.02", "--checkpoint-every", "1", "--backend", BACKEND];

function lossesOf(runDir: string): number[] {
  return readFileSync(join(runDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { loss: number }).loss);
}

const trained = new Map<boolean, { model: Seq2Seq; config: Seq2SeqConfig; src: SourceBatch; bos: number; eos: number }>();

for (const attention of [false, true]) {
  test(`a tiny run trains${attention ? " with attention" : ""}: the loss falls, and the run folder holds what it should`, async () => {
    const config = resolveSeq2SeqConfig({ ...TINY, attention });
    const runDir = join(root, `lib-${attention}`);
    const r = await trainSeq2Seq({ config, runDir });
    assert.equal(r.aborted, false);
    const losses = lossesOf(runDir);
    assert.equal(losses.length, 4);
    assert.ok(losses[3]! < losses[0]! * 0.8, `loss ${losses.join(" -> ")}`);
    for (const f of ["config.json", "source-vocab.json", "target-vocab.json", "metrics.jsonl", "loss.svg", "loss.png", "results.json", "final.json", "final.safetensors"]) assert.ok(existsSync(join(runDir, f)), f);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")) as { heldOut: { pairs: number; meanBleu2: number }; examples: { source: string; translation: string; bleu: number }[] };
    assert.equal(results.heldOut.pairs, 16);
    assert.deepEqual(results.examples.map((e) => e.source), ["go .", "i lost .", "he's calm .", "i'm home ."]);
    for (const e of results.examples) assert.ok(e.bleu >= 0 && e.bleu <= 1);
    assert.equal(existsSync(join(runDir, "attention.svg")), attention);
    if (attention) {
      // The heatmap's data: one row per output token, over the 4 source tokens of "i'm home . <eos>", each row a distribution.
      const map = JSON.parse(readFileSync(join(runDir, "attention.json"), "utf8")) as { source: string[]; output: string[]; weights: number[][] };
      assert.deepEqual(map.source, ["i'm", "home", ".", "<eos>"].map((t) => (r.data.source.indexOf(t) === 0 ? "<unk>" : t)));
      assert.equal(map.weights.length, map.output.length);
      for (const row of map.weights) assert.ok(row.length === 4 && Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      const words = map.output[map.output.length - 1] === EOS ? map.output.slice(0, -1) : map.output;
      assert.equal(words.join(" "), results.examples[3]!.translation);
    }
    const a = r.data.heldOut;
    trained.set(attention, { model: r.model, config, src: { ids: a.source, lengths: a.sourceLengths, numSteps: a.numSteps }, bos: r.data.target.indexOf(BOS), eos: r.data.target.indexOf(EOS) });
  });
}

for (const attention of [false, true]) {
  test(`decoding${attention ? " with attention" : ""}: beam search of width 1 is greedy, and a wide beam finds the exhaustive best over two steps`, () => {
    const t = trained.get(attention);
    assert.ok(t !== undefined, "the training test runs first");
    const opts = { bos: t.bos, eos: t.eos, maxSteps: t.config.numSteps };
    const greedy = greedyDecode(t.model, t.src, opts, 5);
    assert.deepEqual(beamDecode(t.model, t.src, { ...opts, beam: 1 }), greedy);
    assert.ok(greedy.some((s) => s.length > 0));
    // Two steps and a beam as wide as the vocabulary: every prefix of one token stays live, so the
    // beam's answer is the best of all sequences of at most two tokens, found here by brute force.
    const V = t.model.opts.targetVocab;
    const one: SourceBatch = { ids: t.src.ids.subarray(0, t.src.numSteps), lengths: t.src.lengths.subarray(0, 1), numSteps: t.src.numSteps };
    for (const alpha of [0, 0.75]) {
      const found: number[] = beamDecode(t.model, one, { ...opts, maxSteps: 2, beam: V, lengthPenalty: alpha })[0]!;
      assert.deepEqual(found, bruteForce(t.model, one, t.bos, t.eos, alpha));
    }
  });
}

/** The best sequence of at most two tokens by log P / L^alpha, by scoring all of them. */
function bruteForce(model: Seq2Seq, src: SourceBatch, bos: number, eos: number, alpha: number): number[] {
  model.eval();
  const T = src.numSteps;
  const ids = new Tensor(Float32Array.from(src.ids), [T, 1]);
  const state0 = model.decoder.init(model.encoder.forward(ids, Int32Array.from(src.lengths)));
  const logSoftmax = (row: Float32Array): number[] => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    return Array.from(row, (v) => v - lse);
  };
  const [l0, s1] = model.decoder.forward(new Tensor(new Float32Array([bos]), [1, 1]), state0);
  const p0 = logSoftmax(l0.data);
  const V = p0.length;
  const firsts = Array.from({ length: V }, (_, v) => v).filter((v) => v !== eos);
  const [l1] = model.decoder.forward(new Tensor(Float32Array.from(firsts), [1, firsts.length]), { hidden: takeRows(s1.hidden, 1, firsts.map(() => 0)), memory: takeRows(s1.memory, 0, firsts.map(() => 0)), lengths: Int32Array.from(firsts, () => s1.lengths[0]!) });
  let best: number[] = [];
  let bestScore = p0[eos]!; // [] then <eos>: L = 1
  firsts.forEach((v1, i) => {
    const p1 = logSoftmax(l1.data.subarray(i * V, (i + 1) * V));
    for (let v2 = 0; v2 < V; v2++) {
      const logp = p0[v1]! + p1[v2]!;
      const score = logp / Math.pow(2, alpha);
      if (score > bestScore) {
        bestScore = score;
        best = v2 === eos ? [v1] : [v1, v2];
      }
    }
  });
  return best;
}

for (const attention of [false, true]) {
  test(`what lies past a source's valid length never reaches the logits${attention ? " (attention)" : ""}`, () => {
    const t = trained.get(attention);
    assert.ok(t !== undefined, "the training test runs first");
    const model = t.model;
    model.eval();
    const T = 6;
    const B = 3;
    const lengths = Int32Array.from([2, 6, 4]);
    manualSeed(1);
    const ids = new Float32Array(T * B);
    for (let i = 0; i < ids.length; i++) ids[i] = 3 + (i % 5);
    const tgt = new Tensor(Float32Array.from({ length: 4 * B }, (_, i) => (i < B ? t.bos : 4 + (i % 3))), [4, B]);
    const before = model.forward(new Tensor(ids, [T, B]), lengths, tgt).data;
    const noisy = ids.slice();
    for (let b = 0; b < B; b++) for (let s = lengths[b]!; s < T; s++) noisy[s * B + b] = 9;
    assert.deepEqual(model.forward(new Tensor(noisy, [T, B]), lengths, tgt).data, before);
    noisy[0 * B + 0] = 9;
    assert.notDeepEqual(model.forward(new Tensor(noisy, [T, B]), lengths, tgt).data, before);
  });
}

test("a resumed run ends bit-identical to an uninterrupted one", async () => {
  const config = resolveSeq2SeqConfig({ ...TINY, attention: true, epochs: 2 });
  const whole = await trainSeq2Seq({ config, runDir: join(root, "whole") });
  await trainSeq2Seq({ config: { ...config, epochs: 1 }, runDir: join(root, "parts") });
  const parts = await trainSeq2Seq({ config, runDir: join(root, "parts"), resume: true });
  const a = whole.model.stateDict();
  const b = parts.model.stateDict();
  for (const [k, v] of Object.entries(a)) assert.deepEqual(b[k]!.data, v.data, k);
  assert.deepEqual(parts.results, whole.results);
});

test("recurrent train seq2seq, --resume, evaluate and predict; bad input is refused with the reason", async () => {
  const out = join(root, "cli");
  const first = await cli("train", "seq2seq", ...TINY_FLAGS, "--epochs", "1", "--beam", "3", "--out", out);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /go \. => .*\(BLEU \d\.\d{3}\)/);
  const refused = await cli("train", "seq2seq", "--resume", out, "--hidden", "13", "--epochs", "2");
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--hidden 13 differs from the run's 12/);
  const resumed = await cli("train", "seq2seq", "--resume", out, "--epochs", "2", "--json", "--backend", BACKEND);
  assert.equal(resumed.code, 0, resumed.stderr);
  const events = resumed.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; epoch?: number; summary?: Record<string, number> });
  assert.deepEqual(events.filter((e) => e.event === "epoch").map((e) => e.epoch), [2]);
  const done = events.find((e) => e.event === "done")?.summary ?? {};
  const ev = await cli("evaluate", "seq2seq", out, "--json", "--backend", BACKEND);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(scores["epoch"], 2);
  for (const key of ["heldOut.bleu2", "heldOut.corpusBleu4", "heldOut.corpusBleu2", "heldOut.exact", "example4.bleu2"]) assert.equal(scores[key], done[key], key);
  const pred = await cli("predict", "seq2seq", out, "i'm home .\ngo .", "--json", "--backend", BACKEND);
  assert.equal(pred.code, 0, pred.stderr);
  const result = (JSON.parse(pred.stdout) as { result: { beam: number; translations: { source: string; translation: string }[] } }).result;
  assert.equal(result.beam, 3);
  assert.deepEqual(result.translations.map((t) => t.source), ["i'm home .", "go ."]);
  const { model, source, target, config } = await loadSeq2Seq(out);
  assert.equal(config.beam, 3);
  assert.ok(model.opts.sourceVocab === source.length && model.opts.targetVocab === target.length);

  const empty = await cli("predict", "seq2seq", out, " ");
  assert.match(empty.stderr, /predict seq2seq: INPUT must be an English sentence/);
  const held = await cli("train", "seq2seq", "--pairs", "10", "--held-out", "10", "--out", join(root, "bad1"));
  assert.equal(held.code, 1);
  assert.match(held.stderr, /heldOut \(--held-out\) must be smaller than pairs \(--pairs\) = 10, got 10/);
  const tooMany = await cli("train", "seq2seq", "--pairs", "20000", "--out", join(root, "bad2"));
  assert.match(tooMany.stderr, /holds 18065 pairs \(lines with one tab\), fewer than --pairs 20000/);
  const drop = await cli("train", "seq2seq", "--dropout", "1", "--out", join(root, "bad3"));
  assert.match(drop.stderr, /dropout \(--dropout\) must be below 1, got 1/);
  const beam = await cli("train", "seq2seq", "--beam", "0", "--out", join(root, "bad4"));
  assert.match(beam.stderr, /--beam must be a positive integer, got "0"/);
  const missing = await cli("train", "seq2seq", "--data", join(root, "no-such.txt"), "--out", join(root, "bad5"));
  assert.match(missing.stderr, /cannot read translation pairs .*no-such\.txt/);
  assert.ok(!existsSync(join(root, "bad5")), "no run folder is made for data that cannot be read");
});
