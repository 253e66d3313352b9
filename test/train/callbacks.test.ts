import { test } from "node:test";
import assert from "node:assert/strict";
import { Linear, SGD, manualSeed, mseLoss, tensor, type Tensor } from "recurrent";
import {
  Checkpoint,
  EarlyStopping,
  LearningRateScheduler,
  MAE,
  MemoryStore,
  MetricsLog,
  Plots,
  ProgressCallback,
  ReduceLROnPlateau,
  StepLR,
  latestCheckpoint,
  parseMetricsLog,
  readText,
  fit,
  type Callback,
  type ProgressMode,
} from "recurrent/node";

interface Batch {
  x: Tensor;
  y: Tensor;
}

/** Four batches of a small regression problem. */
const DATA: Batch[] = [0, 1, 2, 3].map((k) => ({
  x: tensor([[k, 1], [1, -k], [k / 2, 2]]),
  y: tensor([[k + 1], [1 - k], [k + 2]]),
}));

function setup(): { model: Linear; optimizer: SGD } {
  manualSeed(7);
  const model = new Linear({ inFeatures: 2, outFeatures: 1 });
  return { model, optimizer: new SGD(model.parameters(), { lr: 0.01 }) };
}

/**
 * A step whose epoch loss is `script[epoch - 1]` exactly (each batch reports that value) while
 * its gradient is the real MSE's, so the weights still move every step.
 */
function scripted(model: Linear, script: readonly number[]) {
  return (ctx: { epoch: number }, b: Batch) => {
    const output = model.forward(b.x);
    const l = mseLoss(output, b.y);
    const want = script[ctx.epoch - 1] ?? 0;
    return { loss: l.sub(l.detach()).add(want), output, target: b.y };
  };
}

async function progressRun(mode: ProgressMode): Promise<string> {
  let out = "";
  const { model, optimizer } = setup();
  await fit(model, {
    data: DATA,
    epochs: 3,
    optimizer,
    loss: (o, b: Batch) => mseLoss(o, b.y),
    metrics: [new MAE()],
    callbacks: [new ProgressCallback({ mode, out: { write: (s: string) => (out += s) } })],
  });
  return out;
}

test("progress: lines, JSON lines, a bar, or nothing; columns follow the metrics", async () => {
  const lines = (await progressRun("lines")).trimEnd().split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^epoch 1\/3 {2}loss \d+\.\d{4} {2}mae \d+\.\d{4} {2}[\d,]+ samples\/s {2}\d+\.\d{2} s$/);
  const json = (await progressRun("json")).trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(json.map((e) => e["event"]), ["epoch", "epoch", "epoch"]);
  assert.deepEqual(Object.keys(json[0]!).sort(), ["epoch", "epochs", "event", "loss", "mae", "samples", "samplesPerSecond", "seconds"]);
  const bar = await progressRun("bar");
  assert.ok(bar.includes("\r\x1b[2K"));
  assert.match(bar, /epoch 1\/3 \[#+-*\] \d\/4/);
  assert.equal(await progressRun("quiet"), "");
});

test("checkpoint: periodic every N epochs, the newest N kept, and a final one", async () => {
  const store = new MemoryStore();
  const { model, optimizer } = setup();
  const saved: string[] = [];
  await fit(model, {
    data: DATA,
    epochs: 7,
    optimizer,
    loss: (o, b: Batch) => mseLoss(o, b.y),
    store,
    callbacks: [new Checkpoint({ every: 2, keep: 2, onSave: (i) => saved.push(`${i.kind}:${i.name}`) })],
  });
  assert.deepEqual(saved, ["periodic:checkpoints/epoch-0002.json", "periodic:checkpoints/epoch-0004.json", "periodic:checkpoints/epoch-0006.json", "final:final.json"]);
  assert.deepEqual(await store.list("checkpoints"), ["epoch-0004.json", "epoch-0004.safetensors", "epoch-0006.json", "epoch-0006.safetensors"]);
  const latest = await latestCheckpoint(store);
  assert.equal(latest?.meta.epoch, 7);
  assert.equal(latest?.path, "memory:final.json");
  assert.deepEqual([...(latest?.params["weight"]?.data ?? [])], [...model.parameters()[0]!.data]);
});

test("checkpoint: best only writes when the monitored value improves", async () => {
  const store = new MemoryStore();
  const { model, optimizer } = setup();
  await fit(model, {
    data: DATA,
    epochs: 7,
    optimizer,
    trainStep: scripted(model, [5, 3, 4, 2, 6, 1, 7]),
    store,
    callbacks: [new Checkpoint({ monitor: "loss", bestOnly: true, keep: 10, final: false })],
  });
  assert.deepEqual((await store.list("checkpoints")).filter((n) => n.endsWith(".json")), ["epoch-0001.json", "epoch-0002.json", "epoch-0004.json", "epoch-0006.json"]);
  assert.equal(await store.exists("final.json"), false);
  assert.throws(() => new Checkpoint({ bestOnly: true }), /bestOnly needs a monitor/);
});

test("early stopping: stops after `patience` epochs without improvement and restores the best weights", async () => {
  const { model, optimizer } = setup();
  const after: number[][] = [];
  const recorder: Callback = { onEpochEnd: (_e, _l, loop) => void after.push([...loop.model.parameters()[0]!.data]) };
  const stop = new EarlyStopping({ monitor: "loss", patience: 2, restoreBestWeights: true });
  const h = await fit(model, { data: DATA, epochs: 10, optimizer, trainStep: scripted(model, [5, 3, 4, 3.5, 1, 1]), callbacks: [recorder, stop] });
  assert.deepEqual(h.history.map((r) => r["loss"]), [5, 3, 4, 3.5]);
  assert.equal(h.stopped, true);
  assert.equal(stop.bestEpoch, 2);
  assert.equal(stop.stoppedEpoch, 4);
  assert.deepEqual([...model.parameters()[0]!.data], after[1], "weights of epoch 2");
  assert.notDeepEqual(after[1], after[3]);
  // minDelta: an improvement smaller than it does not count.
  const s = setup();
  const strict = new EarlyStopping({ monitor: "loss", patience: 1, minDelta: 0.5 });
  const h2 = await fit(s.model, { data: DATA, epochs: 10, optimizer: s.optimizer, trainStep: scripted(s.model, [5, 4.8, 4.7, 1]), callbacks: [strict] });
  assert.equal(h2.history.length, 2);
  await assert.rejects(() => fit(s.model, { data: DATA, epochs: 1, optimizer: s.optimizer, trainStep: scripted(s.model, [1]), callbacks: [new EarlyStopping()] }), /monitor "val_loss" is not in the logs/);
});

test("learning-rate schedules step once per epoch; ReduceLROnPlateau watches a log value", async () => {
  const { model, optimizer } = setup();
  optimizer.lr = 1;
  const lrs: number[] = [];
  const spy: Callback = { onEpochBegin: () => void lrs.push(optimizer.lr) };
  await fit(model, { data: DATA, epochs: 5, optimizer, trainStep: scripted(model, [0, 0, 0, 0, 0]), callbacks: [spy, new LearningRateScheduler(new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }))] });
  assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25]);

  const p = setup();
  p.optimizer.lr = 1;
  const seen: number[] = [];
  const spy2: Callback = { onEpochBegin: () => void seen.push(p.optimizer.lr) };
  const plateau = new ReduceLROnPlateau(p.optimizer, { patience: 1, factor: 0.5 });
  await fit(p.model, { data: DATA, epochs: 6, optimizer: p.optimizer, trainStep: scripted(p.model, [3, 3, 3, 2, 2, 2]), callbacks: [spy2, new LearningRateScheduler(plateau)] });
  assert.deepEqual(seen, [1, 1, 1, 0.5, 0.5, 0.5]);
});

test("metrics log and plots: metrics.jsonl holds the history; loss and every metric are plotted as SVG and PNG", async () => {
  const store = new MemoryStore();
  const { model, optimizer } = setup();
  const h = await fit(model, {
    data: DATA,
    validationData: DATA.slice(0, 2),
    epochs: 3,
    optimizer,
    loss: (o, b: Batch) => mseLoss(o, b.y),
    metrics: [new MAE()],
    store,
    callbacks: [new MetricsLog(), new Plots()],
  });
  assert.deepEqual(parseMetricsLog(await readText(store, "metrics.jsonl"), "log"), h.history);
  assert.deepEqual(await store.list(""), ["loss.png", "loss.svg", "mae.png", "mae.svg", "metrics.jsonl"]);
  for (const name of ["loss", "mae"]) {
    const svg = await readText(store, `${name}.svg`);
    assert.match(svg, /^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\n$/);
    assert.ok(svg.includes("validation") && svg.includes("train"), "both series in the legend");
    const png = await store.read(`${name}.png`);
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  }
});
