import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Generator, SGD, SeqDataLoader, loadCorpus, manualSeed, noGrad } from "recurrent";
import { RNNLM } from "../../../src/tasks/charlm/model.js";
import { trainEpoch } from "../../../src/tasks/charlm/epoch.js";
import { chooseToken, predict } from "../../../src/tasks/charlm/generate.js";

const TEXT = readFileSync(new URL("../../../data/timemachine.txt", import.meta.url), "utf8");

/** A small model trained a little, so its predictions are not uniform. */
async function trained() {
  const { corpus, vocab } = loadCorpus(TEXT, { maxTokens: 1500 });
  manualSeed(0);
  const model = new RNNLM({ vocabSize: vocab.length, cell: "gru", hiddenSize: 16 });
  const loader = new SeqDataLoader(corpus, { batchSize: 4, numSteps: 10 });
  const optimizer = new SGD(model.parameters(), { lr: 1 });
  const rng = new Generator(0);
  for (let e = 1; e <= 4; e++) await trainEpoch({ model, loader, optimizer, clip: 1, rng, epoch: e });
  return { model, vocab };
}
const { model, vocab } = await trained();

test("greedy generation is deterministic and is d2l's predict_ch8 fed one character at a time", async () => {
  const a = predict(model, vocab, "time traveller", { numPreds: 30 });
  const b = predict(model, vocab, "time traveller", { numPreds: 30 });
  assert.equal(a.text, b.text);
  assert.equal(a.text, "time traveller" + a.continuation);
  assert.equal(Array.from(a.continuation).length, 30);

  // The book's loop: warm up by feeding each prefix character alone, then argmax and feed back.
  const prefix = Array.from("time traveller");
  const outputs = [vocab.indexOf(prefix[0]!)];
  let state = model.beginState(1);
  noGrad(() => {
    for (const ch of prefix.slice(1)) {
      [, state] = model.forward(Int32Array.of(outputs[outputs.length - 1]!), [1, 1], state);
      outputs.push(vocab.indexOf(ch));
    }
    for (let i = 0; i < 30; i++) {
      const [y, next] = model.forward(Int32Array.of(outputs[outputs.length - 1]!), [1, 1], state);
      state = next;
      let best = 0;
      for (let k = 1; k < y.data.length; k++) if (y.data[k]! > y.data[best]!) best = k;
      outputs.push(best);
    }
  });
  assert.equal(a.text, vocab.toTokens(outputs).join(""));
});

test("sampling is seeded: the same seed gives the same text, other seeds other texts", async () => {
  const run = (seed: number) => predict(model, vocab, "the", { numPreds: 40, temperature: 1, generator: new Generator(seed) }).text;
  assert.equal(run(5), run(5));
  const texts = new Set([run(1), run(2), run(3), run(4)]);
  assert.ok(texts.size >= 3, [...texts].join(" | "));
  // Without a generator the default one is seeded the same way each call.
  assert.equal(
    predict(model, vocab, "the", { numPreds: 20, temperature: 1 }).text,
    predict(model, vocab, "the", { numPreds: 20, temperature: 1 }).text,
  );
});

test("chooseToken: temperature 0 and top-k 1 are argmax; top-k limits the candidates; high temperature spreads the choice", async () => {
  const logits = Float32Array.from([0.5, 3, 1, 2.5, -1]);
  const g = new Generator(0);
  assert.equal(chooseToken(logits, 0, 0, g), 1);
  for (let i = 0; i < 50; i++) assert.equal(chooseToken(logits, 5, 1, g), 1);
  const seen = new Set<number>();
  for (let i = 0; i < 400; i++) seen.add(chooseToken(logits, 10, 2, g));
  assert.deepEqual([...seen].sort(), [1, 3]);
  const counts = (temperature: number): number[] => {
    const c = [0, 0, 0, 0, 0];
    const gen = new Generator(1);
    for (let i = 0; i < 2000; i++) c[chooseToken(logits, temperature, 0, gen)]! += 1;
    return c;
  };
  const cold = counts(0.2);
  const hot = counts(20);
  assert.ok(cold[1]! > 1800, `cold ${cold}`);
  assert.ok(hot.every((n) => n > 250), `hot ${hot}`);
  // At temperature 1 the frequencies follow softmax(logits).
  const warm = counts(1);
  const z = [...logits].reduce((s, l) => s + Math.exp(l), 0);
  warm.forEach((n, k) => assert.ok(Math.abs(n / 2000 - Math.exp(logits[k]!) / z) < 0.03, `warm ${warm}`));
});

test("prefix characters outside the vocabulary are reported once and read as <unk>", async () => {
  const reports: string[][] = [];
  const r = predict(model, vocab, "Time Travel!!", { numPreds: 5, onUnknown: (chars) => reports.push(chars) });
  assert.deepEqual(reports, [["T", "!"]]);
  assert.deepEqual(r.unknown, ["T", "!"]);
  assert.ok(r.text.startsWith("Time Travel!!"));
  const clean: string[][] = [];
  predict(model, vocab, "time", { numPreds: 5, onUnknown: (chars) => clean.push(chars) });
  assert.deepEqual(clean, []);
});

test("predict: a one-character prefix works, and bad arguments are named", async () => {
  assert.equal(Array.from(predict(model, vocab, "t", { numPreds: 3 }).continuation).length, 3);
  assert.equal(predict(model, vocab, "t", { numPreds: 0 }).text, "t");
  assert.throws(() => predict(model, vocab, "", {}), /predict: prefix must be a non-empty string/);
  assert.throws(() => predict(model, vocab, "a", { numPreds: -1 }), /predict: numPreds must be a non-negative integer, got -1/);
  assert.throws(() => predict(model, vocab, "a", { temperature: -0.5 }), /predict: temperature must be a finite number >= 0, got -0.5/);
  assert.throws(() => predict(model, vocab, "a", { topK: 1.5 }), /predict: topK must be a non-negative integer, got 1.5/);
});

test("predict leaves the model in the mode it found it", async () => {
  model.train();
  predict(model, vocab, "ab", { numPreds: 2 });
  assert.equal(model.training, true);
});
