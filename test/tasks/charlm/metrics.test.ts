import { test } from "node:test";
import assert from "node:assert/strict";
import { LossAccumulator, toEpochMetrics } from "../../../src/tasks/charlm/metrics.js";

test("LossAccumulator: perplexity is exp of the token-weighted mean loss, as d2l's metric[0] / metric[1]", () => {
  const acc = new LossAccumulator();
  assert.ok(Number.isNaN(acc.perplexity()));
  acc.add(2, 100, 1.5);
  acc.add(1, 300, 0.5);
  assert.equal(acc.tokens, 400);
  assert.equal(acc.meanLoss(), (2 * 100 + 1 * 300) / 400);
  assert.equal(acc.perplexity(), Math.exp(1.25));
  assert.equal(acc.meanGradNorm(), 1);
  const m = acc.finish(3, 2);
  assert.deepEqual(m, { epoch: 3, loss: 1.25, perplexity: Math.exp(1.25), tokens: 400, seconds: 2, tokensPerSecond: 200, gradNorm: 1 });
  assert.throws(() => acc.add(1, 0), /tokens must be positive, got 0/);
});

test("toEpochMetrics takes a history row in the metrics.jsonl field order and names a missing field", () => {
  const row = { gradNorm: 1, epoch: 2, loss: 1, perplexity: Math.E, tokens: 10, seconds: 1, tokensPerSecond: 10 };
  assert.deepEqual(Object.keys(toEpochMetrics(row)), ["epoch", "loss", "perplexity", "tokens", "seconds", "tokensPerSecond", "gradNorm"]);
  assert.throws(() => toEpochMetrics({ epoch: 1, loss: 1 }), /charlm metrics: perplexity must be a number, got nothing/);
});
