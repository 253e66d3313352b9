// RNNLM against d2l's PyTorch RNNModel: same weights, same batches, same logits, loss, gradients,
// and the loss of a second batch run from the first's detached state. Fixture made by
// tools/gen_rnnlm_fixtures.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { crossEntropy } from "recurrent";
import { RNNLM, detachState, timeMajor } from "../../../src/tasks/charlm/model.js";
import type { CellKind } from "../../../src/tasks/charlm/config.js";

interface Flat {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  cell: CellKind;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  vocabSize: number;
  batchSize: number;
  numSteps: number;
  weights: Record<string, Flat>;
  x1: number[];
  y1: number[];
  x2: number[];
  y2: number[];
  logits1: Flat;
  loss1: number;
  grads1: Record<string, Flat>;
  loss2: number;
  h2: Flat;
}

const fixture = JSON.parse(readFileSync(new URL("../../fixtures/charlm/rnnlm.json", import.meta.url), "utf8")) as { cases: Case[] };

function close(actual: ArrayLike<number>, expected: readonly number[], what: string, tol = 2e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    assert.ok(Math.abs(actual[i]! - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: ${actual[i]} vs ${e}`);
  }
}

for (const c of fixture.cases) {
  test(`RNNLM matches d2l's RNNModel (PyTorch): ${c.name}`, () => {
    const model = new RNNLM({ vocabSize: c.vocabSize, cell: c.cell, hiddenSize: c.hiddenSize, numLayers: c.numLayers, bidirectional: c.bidirectional });
    model.loadStateDict(c.weights);
    const shape: [number, number] = [c.batchSize, c.numSteps];
    const [logits, state] = model.forward(Int32Array.from(c.x1), shape, model.beginState(c.batchSize));
    close(logits.data, c.logits1.data, "logits");
    const loss = crossEntropy(logits, timeMajor(Int32Array.from(c.y1), ...shape));
    close([loss.item()], [c.loss1], "loss");
    model.zeroGrad();
    loss.backward();
    for (const [name, p] of model.namedParameters()) {
      const g = c.grads1[name];
      assert.ok(g !== undefined && p.grad !== null, name);
      close(p.grad.data, g.data, `grad ${name}`, 1e-4);
    }
    const [logits2, state2] = model.forward(Int32Array.from(c.x2), shape, detachState(state));
    close([crossEntropy(logits2, timeMajor(Int32Array.from(c.y2), ...shape)).item()], [c.loss2], "loss of the second batch");
    close(state2.h.data, c.h2.data, "h after the second batch");
  });
}
