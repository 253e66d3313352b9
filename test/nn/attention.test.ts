import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { AdditiveAttention, Tensor, gradCheck, manualSeed, randn } from "recurrent";
import { assertClose, toTensor, type JsonTensor } from "../helpers/fixtures.js";

interface AttentionCase {
  name: string;
  validLens: number[] | null;
  wQ: JsonTensor;
  wK: JsonTensor;
  wV: JsonTensor;
  queries: JsonTensor;
  keys: JsonTensor;
  values: JsonTensor;
  weights: JsonTensor;
  output: JsonTensor;
  lossWeights: JsonTensor;
  grad: Record<"queries" | "keys" | "values" | "wQ" | "wK" | "wV", JsonTensor>;
}

const FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/seq2seq/attention.json", import.meta.url), "utf8")) as { cases: AttentionCase[] };

for (const c of FIXTURE.cases) {
  test(`AdditiveAttention matches PyTorch (tools/gen_seq2seq_fixtures.py): ${c.name}`, () => {
    const att = new AdditiveAttention({ querySize: c.wQ.shape[1]!, keySize: c.wK.shape[1]!, hiddenSize: c.wQ.shape[0]! });
    att.loadStateDict({ "wQ.weight": toTensor(c.wQ), "wK.weight": toTensor(c.wK), "wV.weight": toTensor(c.wV) });
    const q = toTensor(c.queries, true);
    const k = toTensor(c.keys, true);
    const v = toTensor(c.values, true);
    const out = att.forward(q, k, v, c.validLens);
    assertClose(att.attentionWeights!.data, c.weights, `${c.name} weights`);
    assertClose(out.data, c.output, `${c.name} output`);
    out.mul(toTensor(c.lossWeights)).sum().backward();
    assertClose(q.grad!.data, c.grad.queries, `${c.name} d queries`, 1e-5, 1e-4);
    assertClose(k.grad!.data, c.grad.keys, `${c.name} d keys`, 1e-5, 1e-4);
    assertClose(v.grad!.data, c.grad.values, `${c.name} d values`, 1e-5, 1e-4);
    const own = att.stateDict();
    for (const p of ["wQ", "wK", "wV"] as const) assertClose(own[`${p}.weight`]!.grad!.data, c.grad[p], `${c.name} d ${p}`, 1e-5, 1e-4);
  });
}

test("AdditiveAttention: padded keys get weight 0 and their keys and values do not reach the output", () => {
  manualSeed(3);
  const att = new AdditiveAttention({ querySize: 4, keySize: 3, hiddenSize: 5 });
  const q = randn([2, 2, 4]);
  const k = randn([2, 6, 3]);
  const v = randn([2, 6, 2]);
  const lens = [2, 4];
  const out = att.forward(q, k, v, lens).data.slice();
  const w = att.attentionWeights!;
  for (let b = 0; b < 2; b++) {
    for (let i = 0; i < 2; i++) {
      let sum = 0;
      for (let j = 0; j < 6; j++) {
        const x = w.data[(b * 2 + i) * 6 + j]!;
        if (j >= lens[b]!) assert.equal(x, 0, `row ${b} query ${i} key ${j}`);
        sum += x;
      }
      assert.ok(Math.abs(sum - 1) < 1e-6);
    }
  }
  // Garbage past the valid lengths changes nothing.
  const k2 = k.data.slice();
  const v2 = v.data.slice();
  for (let b = 0; b < 2; b++) {
    for (let j = lens[b]!; j < 6; j++) {
      for (let d = 0; d < 3; d++) k2[(b * 6 + j) * 3 + d] = 1e3;
      for (let d = 0; d < 2; d++) v2[(b * 6 + j) * 2 + d] = -1e3;
    }
  }
  assert.deepEqual(att.forward(q, new Tensor(k2, k.shape), new Tensor(v2, v.shape), lens).data, out);
  // Without lengths every key counts, so the output changes.
  assert.notDeepEqual(att.forward(q, k, v).data, out);
});

test("AdditiveAttention passes gradCheck with and without a mask", () => {
  manualSeed(7);
  const att = new AdditiveAttention({ querySize: 3, keySize: 2, hiddenSize: 4 });
  const q = new Tensor(randn([2, 2, 3]).data, [2, 2, 3], true);
  const k = new Tensor(randn([2, 3, 2]).data, [2, 3, 2], true);
  const v = new Tensor(randn([2, 3, 2]).data, [2, 3, 2], true);
  for (const lens of [null, [1, 3]]) {
    const r = gradCheck((a, b, c) => att.forward(a!, b!, c!, lens), [q, k, v]);
    assert.ok(r.ok, r.failures.join("\n"));
  }
});

test("AdditiveAttention: bad arguments name the layer, the argument and what came", () => {
  const att = new AdditiveAttention({ querySize: 3, keySize: 2, hiddenSize: 4 });
  const q = randn([2, 1, 3]);
  const k = randn([2, 3, 2]);
  assert.throws(() => att.forward(q, k, k, [1, 4]), /AdditiveAttention\(hiddenSize=4\)\.forward: validLens\[1\] must be an integer in \[1, K = 3\], got 4/);
  assert.throws(() => att.forward(q, k, k, [1]), /validLens has 1 entries but the batch has B = 2/);
  assert.throws(() => att.forward(randn([2, 1, 5]), k, k), /queries has shape \[2, 1, 5\] but its last dim must be 3/);
  assert.throws(() => att.forward(q, k, randn([2, 4, 2])), /must share B, and keys and values K/);
  assert.throws(() => new AdditiveAttention({ querySize: 3, keySize: 0, hiddenSize: 4 }), /keySize/);
  assert.throws(() => new AdditiveAttention({ querySize: 3, keySize: 2, hiddenSize: 4, dropout: 1 }), /dropout/);
});
