import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor } from "recurrent";
import { Accuracy, LossMetric, MAE, MSE, Perplexity, RMSE } from "recurrent/node";

test("loss and perplexity are means weighted by each batch's count", () => {
  const loss = new LossMetric();
  const ppl = new Perplexity();
  assert.ok(Number.isNaN(loss.result()));
  for (const m of [loss, ppl]) {
    m.update({ loss: 2, count: 100 });
    m.update({ loss: 1, count: 300 });
  }
  assert.equal(loss.result(), (2 * 100 + 1 * 300) / 400);
  assert.equal(ppl.result(), Math.exp(1.25));
  loss.reset();
  assert.ok(Number.isNaN(loss.result()));
});

test("accuracy: arg max of each row against class indices, or a threshold for one output per item", () => {
  const acc = new Accuracy();
  // Rows: argmax 1, 0, 2, 2 against targets 1, 2, 2, 0: two right.
  acc.update({ loss: 0, count: 4, output: tensor([[0, 5, 1], [3, 1, 2], [0, 0, 9], [1, 2, 3]]), target: Int32Array.from([1, 2, 2, 0]) });
  assert.equal(acc.result(), 0.5);
  acc.update({ loss: 0, count: 2, output: tensor([[1, 0, 0], [0, 1, 0]]), target: tensor([0, 1]) });
  assert.equal(acc.result(), 4 / 6);
  const binary = new Accuracy(0.5);
  binary.update({ loss: 0, count: 4, output: tensor([[0.9], [0.2], [0.5], [0.4]]), target: tensor([[1], [0], [0], [0]]) });
  assert.equal(binary.result(), 0.75);
  assert.throws(() => new Accuracy().update({ loss: 0, count: 1 }), /Accuracy: the step returned no output/);
  assert.throws(() => new Accuracy().update({ loss: 0, count: 1, output: tensor([1, 2, 3]), target: Int32Array.from([0, 1]) }), /output has 3 values for 2 targets/);
});

test("MAE, MSE and RMSE over every element of every batch", () => {
  const out = tensor([[1, 2], [3, 4]]);
  const target = tensor([[0, 2], [5, 3]]);
  // Errors 1, 0, -2, 1; then 3 more elements with errors 0.5, -0.5, 2.
  const second = { output: tensor([1.5, 0, 4]), target: tensor([1, 0.5, 2]) };
  const mae = new MAE();
  const mse = new MSE();
  const rmse = new RMSE();
  for (const m of [mae, mse, rmse]) {
    m.update({ loss: 0, count: 2, output: out, target });
    m.update({ loss: 0, count: 3, ...second });
  }
  assert.equal(mae.result(), (1 + 0 + 2 + 1 + 0.5 + 0.5 + 2) / 7);
  assert.equal(mse.result(), (1 + 0 + 4 + 1 + 0.25 + 0.25 + 4) / 7);
  assert.equal(rmse.result(), Math.sqrt((1 + 0 + 4 + 1 + 0.25 + 0.25 + 4) / 7));
  assert.throws(() => mae.update({ loss: 0, count: 1, output: tensor([1, 2]), target: tensor([1]) }), /MAE: output has 2 values but the target has 1/);
});
