import { test } from "node:test";
import assert from "node:assert/strict";
import { Linear, SGD, manualSeed, mseLoss, tensor, type Tensor } from "recurrent";
import { MAE, MemoryStore, TensorDataset, compile, evaluate, fit, predictModel, tensorLoader, type Callback, type TensorBatch } from "recurrent/node";

/** y = 2·x0 − x1 + 0.5 on a grid of 64 points. */
function dataset(n = 64): TensorDataset {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = (i % 8) / 4 - 1;
    const b = Math.floor(i / 8) / 4 - 1;
    x[i * 2] = a;
    x[i * 2 + 1] = b;
    y[i] = 2 * a - b + 0.5;
  }
  return new TensorDataset(tensor(x, [n, 2]), tensor(y, [n, 1]));
}

const target = (b: TensorBatch): Tensor => {
  assert.ok(b.y !== undefined);
  return b.y;
};
const loss = (out: Tensor, b: TensorBatch): Tensor => mseLoss(out, target(b));
const values = (m: Linear): number[][] => m.parameters().map((p) => [...p.data]);

function setup(): { model: Linear; optimizer: SGD } {
  manualSeed(1);
  const model = new Linear({ inFeatures: 2, outFeatures: 1 });
  return { model, optimizer: new SGD(model.parameters(), { lr: 0.1 }) };
}

test("fit lowers the loss, logs loss, metrics, samples, time and gradNorm per epoch, and returns a Keras-like History", async () => {
  const { model, optimizer } = setup();
  const h = await fit(model, { data: tensorLoader(dataset(), { batchSize: 8, shuffle: true, seed: 2 }), epochs: 5, optimizer, loss, metrics: [new MAE()], clipNorm: 10 });
  assert.equal(h.aborted, false);
  assert.equal(h.stopped, false);
  assert.deepEqual(h.history.map((r) => r.epoch), [1, 2, 3, 4, 5]);
  assert.deepEqual(Object.keys(h.history[0]!).sort(), ["epoch", "gradNorm", "loss", "mae", "samples", "samplesPerSecond", "seconds"]);
  assert.equal(h.history[0]!["samples"], 64);
  const losses = h.values["loss"]!;
  assert.equal(losses.length, 5);
  assert.ok(losses[4]! < losses[0]! / 4, `loss ${losses.join(" -> ")}`);
});

test("the Keras form (compile, then fit(model, data, options)) and the function form train the same weights, bit for bit", async () => {
  const a = setup();
  const ha = await fit(a.model, { data: tensorLoader(dataset(), { batchSize: 8, shuffle: true, seed: 4 }), epochs: 3, optimizer: a.optimizer, loss, metrics: [new MAE()] });
  const b = setup();
  const compiled = compile(b.model, { optimizer: b.optimizer, loss, metrics: [new MAE()] });
  const hb = await compiled.fit(tensorLoader(dataset(), { batchSize: 8, shuffle: true, seed: 4 }), { epochs: 3 });
  assert.deepEqual(values(b.model), values(a.model));
  assert.deepEqual(hb.values["loss"], ha.values["loss"]);
  assert.deepEqual(hb.values["mae"], ha.values["mae"]);
  // evaluate and predict find the compiled settings.
  const ev = await evaluate(b.model, tensorLoader(dataset(), { batchSize: 16 }));
  assert.deepEqual(Object.keys(ev).sort(), ["loss", "mae"]);
  const all = dataset();
  const out = await predictModel(b.model, all.x);
  assert.deepEqual(out.shape, [64, 1]);
  let se = 0;
  let ae = 0;
  for (let i = 0; i < 64; i++) {
    const d = out.data[i]! - all.y!.data[i]!;
    se += d * d;
    ae += Math.abs(d);
  }
  assert.ok(Math.abs(ev["loss"]! - se / 64) < 1e-6, `${ev["loss"]} vs ${se / 64}`);
  assert.ok(Math.abs(ev["mae"]! - ae / 64) < 1e-6);
  const batched = await predictModel(b.model, tensorLoader(dataset(), { batchSize: 10 }));
  assert.deepEqual([...batched.data], [...out.data]);
  assert.equal(b.model.training, true, "evaluate and predict restore training mode");
});

test("validationData and validationSplit add val_ values; the split holds out the last fraction", async () => {
  const { model, optimizer } = setup();
  const h = await fit(model, { data: tensorLoader(dataset(), { batchSize: 8 }), validationData: tensorLoader(dataset(16), { batchSize: 8 }), epochs: 2, optimizer, loss, metrics: [new MAE()] });
  assert.ok(typeof h.history[1]!["val_loss"] === "number" && typeof h.history[1]!["val_mae"] === "number");
  const s = setup();
  const hs = await fit(s.model, { data: tensorLoader(dataset(), { batchSize: 8 }), validationSplit: 0.25, epochs: 1, optimizer: s.optimizer, loss });
  assert.equal(hs.history[0]!["samples"], 48);
  assert.ok(Number.isFinite(hs.history[0]!["val_loss"]));
  await assert.rejects(() => fit(model, { data: [], validationSplit: 0.5, epochs: 1, optimizer, loss }), /validationSplit needs data that can split itself/);
  await assert.rejects(
    () => fit(model, { data: tensorLoader(dataset()), validationSplit: 0.5, validationData: tensorLoader(dataset()), epochs: 1, optimizer, loss }),
    /give validationData or validationSplit, not both/,
  );
});

test("between batches the loop yields to the event loop, so a timer can abort it; the History says aborted", async () => {
  const { model, optimizer } = setup();
  const controller = new AbortController();
  let immediateRan = false;
  let sawImmediate = false;
  setImmediate(() => (immediateRan = true));
  setTimeout(() => controller.abort(), 30);
  const probe: Callback = {
    onBatchEnd: (logs) => {
      if (logs.epoch === 1 && logs.batch === 2) sawImmediate = immediateRan;
    },
  };
  const h = await fit(model, { data: tensorLoader(dataset(), { batchSize: 1 }), epochs: 100_000, optimizer, loss, callbacks: [probe], signal: controller.signal });
  assert.equal(sawImmediate, true, "a macrotask ran between the first batches");
  assert.equal(h.aborted, true);
  assert.ok(h.history.length < 100_000);
});

test("fit's errors name what is wrong", async () => {
  const { model, optimizer } = setup();
  const data = tensorLoader(dataset(), { batchSize: 8 });
  await assert.rejects(() => fit(model, { data, epochs: 1, optimizer }), /fit: give a loss \(output, batch\) => Tensor or a trainStep/);
  await assert.rejects(() => fit(model, { data, epochs: -1, optimizer, loss }), /fit: epochs must be a non-negative integer, got -1/);
  await assert.rejects(() => fit(model, { data, epochs: 1, optimizer, loss, clipNorm: 0 }), /fit: clipNorm must be a positive number, got 0/);
  await assert.rejects(() => fit(model, { data: [{ z: 1 }], epochs: 1, optimizer, loss: () => tensor([0]) }), /fit: epoch 1: fit: the default step needs batches of the form \{ x: Tensor, y \}/);
  await assert.rejects(() => fit(new Linear({ inFeatures: 2, outFeatures: 1 }), data, { epochs: 1 }), /fit: Linear.* is not compiled; call compile/);
  await assert.rejects(() => fit(model, { data, epochs: 1, optimizer, loss, callbacks: [{ key: "a" }, { key: "a" }] }), /two callbacks have the key "a"/);
  // A run with nothing to store works without a store; a store is only needed by callbacks that write.
  assert.equal((await fit(model, { data, epochs: 1, optimizer, loss, store: new MemoryStore() })).history.length, 1);
  // The loss is read once the step is done: a NaN stops the run there, naming the batch.
  await assert.rejects(
    () => fit(model, { data, epochs: 1, optimizer, trainStep: (_c, b: TensorBatch) => ({ loss: mseLoss(model.forward(b.x), target(b)).mul(NaN) }) }),
    /fit: epoch 1: batch 1: the loss is NaN \(training diverged/,
  );
});
