// Regularizers and constraints of the Keras-style layers through `fit`: the reported loss
// includes the penalties (weight and activity), as Keras's does, and constraints hold after
// every optimiser step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { layers, Sequential, SGD, fit, evaluate, mseLoss, randn, manualSeed, regularizers, constraints, regularizationLoss, Tensor, type KerasSimpleRNN, type KerasSimpleRNNOptions } from "recurrent";

interface Batch {
  x: Tensor;
  y: Tensor;
}

function data(): Batch[] {
  manualSeed(12);
  return [{ x: randn([4, 5, 2]), y: randn([4, 1]) }];
}

function model(rnnOpts: KerasSimpleRNNOptions): [Sequential, KerasSimpleRNN] {
  manualSeed(2);
  const rnn = layers.simpleRNN({ inputDim: 2, seed: 1, ...rnnOpts });
  return [new Sequential([rnn, layers.dense({ units: 1, inputDim: 3 })]), rnn];
}

async function firstLoss(m: Sequential, batches: Batch[]): Promise<number> {
  const h = await fit(m, { data: batches, epochs: 1, optimizer: new SGD(m.parameters(), { lr: 0.01 }), loss: (o, b: Batch) => mseLoss(o, b.y) });
  return h.values["loss"]![0]!;
}

test("fit adds the weight regularizers' penalties to the loss it minimises and reports", async () => {
  const batches = data();
  const [plain] = model({ units: 3 });
  const [reg, rnn] = model({ units: 3, kernelRegularizer: regularizers.l2(0.5), recurrentRegularizer: regularizers.l1(0.25), biasRegularizer: "l2" });
  const [kernel, recurrent, bias] = rnn.getWeights() as [Tensor, Tensor, Tensor];
  const sq = (t: Tensor): number => t.data.reduce((s, v) => s + v * v, 0);
  const ab = (t: Tensor): number => t.data.reduce((s, v) => s + Math.abs(v), 0);
  const penalty = 0.5 * sq(kernel) + 0.25 * ab(recurrent) + 0.01 * sq(bias);
  assert.ok(Math.abs(regularizationLoss(reg)!.item() - penalty) < 1e-5, "regularizationLoss is the sum of the penalties");
  const lossPlain = await firstLoss(plain, batches);
  const lossReg = await firstLoss(reg, batches);
  assert.ok(Math.abs(lossReg - (lossPlain + penalty)) < 1e-5, `${lossReg} = ${lossPlain} + ${penalty}`);
  assert.ok(penalty > 0.1);
});

test("the activity regularizer penalises the layer's output of the batch", async () => {
  const batches = data();
  const [plain] = model({ units: 3 });
  const [act, rnn] = model({ units: 3, activityRegularizer: regularizers.l1(0.1) });
  const h = (rnn.forward(batches[0]!.x) as Tensor).data.reduce((s, v) => s + Math.abs(v), 0);
  const lossPlain = await firstLoss(plain, batches);
  const lossAct = await firstLoss(act, batches);
  assert.ok(Math.abs(lossAct - (lossPlain + 0.1 * h)) < 1e-5, `${lossAct} = ${lossPlain} + ${0.1 * h}`);
});

test("constraints hold after each optimiser step", async () => {
  const batches = data();
  const [m, rnn] = model({ units: 3, kernelConstraint: "nonNeg", recurrentConstraint: constraints.maxNorm({ maxValue: 0.5 }) });
  assert.ok(rnn.getWeights()[0]!.data.some((v) => v < 0), "the initial kernel has negative entries");
  await fit(m, { data: batches, epochs: 3, optimizer: new SGD(m.parameters(), { lr: 0.1 }), loss: (o, b: Batch) => mseLoss(o, b.y) });
  const [kernel, recurrent] = rnn.getWeights() as [Tensor, Tensor];
  assert.ok(kernel.data.every((v) => v >= 0), "nonNeg");
  assert.ok(kernel.data.some((v) => v > 0), "not all zero");
  // maxNorm on Keras's (H, G) recurrent kernel, axis 0: each column's norm is at most 0.5.
  for (let j = 0; j < 3; j++) {
    let n = 0;
    for (let i = 0; i < 3; i++) n += recurrent.data[i * 3 + j]! ** 2;
    assert.ok(Math.sqrt(n) <= 0.5 + 1e-6, `column ${j}: ${Math.sqrt(n)}`);
  }
});

test("evaluate reports the loss with the penalties, as Keras", async () => {
  const batches = data();
  const [plain] = model({ units: 3 });
  const [reg, rnn] = model({ units: 3, kernelRegularizer: regularizers.l2(0.5), activityRegularizer: regularizers.l2(0.1) });
  const sq = (t: Tensor): number => t.data.reduce((s, v) => s + v * v, 0);
  const h = rnn.eval().forward(batches[0]!.x) as Tensor;
  const penalty = 0.5 * sq(rnn.getWeights()[0]!) + 0.1 * sq(h);
  const loss = (o: Tensor, b: Batch): Tensor => mseLoss(o, b.y);
  const plainLoss = (await evaluate(plain, batches, { loss }))["loss"]!;
  const regLoss = (await evaluate(reg, batches, { loss }))["loss"]!;
  assert.ok(Math.abs(regLoss - (plainLoss + penalty)) < 1e-5, `${regLoss} = ${plainLoss} + ${penalty}`);
});
