import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SGD, Adam, Generator, SeqDataLoader, loadCorpus, manualSeed, crossEntropy, clipGradNorm, type SamplerKind } from "recurrent";
import { RNNLM, detachState, timeMajor, type RNNLMState } from "../../../src/tasks/charlm/model.js";
import { trainEpoch } from "../../../src/tasks/charlm/epoch.js";

const TEXT = readFileSync(new URL("../../../data/timemachine.txt", import.meta.url), "utf8");

function setup(sampler: SamplerKind, maxTokens = 1200) {
  const { corpus, vocab } = loadCorpus(TEXT, { maxTokens });
  manualSeed(0);
  const model = new RNNLM({ vocabSize: vocab.length, cell: "lstm", hiddenSize: 12 });
  const loader = new SeqDataLoader(corpus, { batchSize: 4, numSteps: 8, sampler });
  return { model, loader, vocab };
}

interface Seen {
  state: RNNLMState;
  returned: RNNLMState;
}

/** Records the state passed into every forward call and the state it returned. */
function spy(model: RNNLM): Seen[] {
  const seen: Seen[] = [];
  const original = model.forward.bind(model);
  model.forward = (indices, shape, state) => {
    const [logits, next] = original(indices, shape, state);
    assert.ok(state !== undefined && state !== null, "trainEpoch passes a state explicitly");
    seen.push({ state, returned: next });
    return [logits, next];
  };
  return seen;
}

test("sequential sampler: the state starts at zero, then each batch starts from the previous batch's final state, detached", async () => {
  const { model, loader } = setup("sequential");
  const seen = spy(model);
  await trainEpoch({ model, loader, optimizer: new SGD(model.parameters(), { lr: 1 }), clip: 1, rng: new Generator(1), epoch: 1 });
  assert.ok(seen.length >= 3, `${seen.length} batches`);
  assert.ok(seen[0]!.state.h.data.every((v) => v === 0) && seen[0]!.state.c!.data.every((v) => v === 0));
  for (let k = 1; k < seen.length; k++) {
    const { state } = seen[k]!;
    const prev = seen[k - 1]!.returned;
    assert.deepEqual([...state.h.data], [...prev.h.data], `batch ${k}: h carried`);
    assert.deepEqual([...state.c!.data], [...prev.c!.data], `batch ${k}: c carried`);
    assert.ok(state.h.data.some((v) => v !== 0), `batch ${k}: carried state is not zero`);
    assert.equal(state.h.gradFn, null, `batch ${k}: h detached`);
    assert.equal(state.h.requiresGrad, false, `batch ${k}: h detached`);
    assert.equal(state.c!.gradFn, null, `batch ${k}: c detached`);
  }
});

test("sequential sampler: a new epoch starts again from a zero state", async () => {
  const { model, loader } = setup("sequential");
  const optimizer = new SGD(model.parameters(), { lr: 1 });
  const rng = new Generator(1);
  await trainEpoch({ model, loader, optimizer, clip: 1, rng, epoch: 1 });
  const seen = spy(model);
  await trainEpoch({ model, loader, optimizer, clip: 1, rng, epoch: 2 });
  assert.ok(seen[0]!.state.h.data.every((v) => v === 0));
});

test("random sampler: every batch starts from a fresh zero state", async () => {
  const { model, loader } = setup("random");
  const seen = spy(model);
  await trainEpoch({ model, loader, optimizer: new SGD(model.parameters(), { lr: 1 }), clip: 1, rng: new Generator(1), epoch: 1 });
  assert.ok(seen.length >= 3);
  for (const [k, { state, returned }] of seen.entries()) {
    assert.ok(state.h.data.every((v) => v === 0) && state.c!.data.every((v) => v === 0), `batch ${k}: zero state`);
    assert.ok(returned.h.data.some((v) => v !== 0));
  }
});

for (const sampler of ["sequential", "random"] as const) {
  test(`trainEpoch (${sampler}) is d2l's train_epoch_ch8 written out: same weights and perplexity as a manual loop`, async () => {
    const a = setup(sampler);
    const metrics = await trainEpoch({ model: a.model, loader: a.loader, optimizer: new SGD(a.model.parameters(), { lr: 1 }), clip: 1, rng: new Generator(9), epoch: 1 });

    const b = setup(sampler);
    const optimizer = new SGD(b.model.parameters(), { lr: 1 });
    const params = b.model.parameters();
    let state: RNNLMState | null = null;
    let weighted = 0;
    let count = 0;
    for (const batch of b.loader.epoch(new Generator(9))) {
      const shape: [number, number] = [batch.batchSize, batch.numSteps];
      if (state === null || sampler === "random") state = b.model.beginState(batch.batchSize);
      else state = detachState(state);
      const [yHat, next] = b.model.forward(batch.x, shape, state);
      state = next;
      const l = crossEntropy(yHat, timeMajor(batch.y, ...shape));
      optimizer.zeroGrad();
      l.backward();
      clipGradNorm(params, 1);
      optimizer.step();
      weighted += l.item() * batch.x.length;
      count += batch.x.length;
    }
    const pa = a.model.parameters();
    params.forEach((p, i) => assert.deepEqual(pa[i]!.data, p.data, `parameter ${i}`));
    assert.equal(metrics.tokens, count);
    assert.equal(metrics.perplexity, Math.exp(weighted / count));
  });
}

test("a few epochs on a short text lower the loss (SGD and Adam)", async () => {
  for (const make of [(m: RNNLM) => new SGD(m.parameters(), { lr: 1 }), (m: RNNLM) => new Adam(m.parameters(), { lr: 0.01 })]) {
    const { model, loader } = setup("sequential", 1500);
    const optimizer = make(model);
    const rng = new Generator(2);
    const ppl: number[] = [];
    for (let e = 1; e <= 6; e++) ppl.push((await trainEpoch({ model, loader, optimizer, clip: 1, rng, epoch: e })).perplexity);
    assert.ok(ppl[5]! < ppl[0]! * 0.85, `perplexity ${ppl.map((p) => p.toFixed(2)).join(" -> ")}`);
  }
});

test("trainEpoch reports batches to onBatch and fills every metric", async () => {
  const { model, loader } = setup("sequential");
  const calls: number[] = [];
  const m = await trainEpoch({
    model,
    loader,
    optimizer: new SGD(model.parameters(), { lr: 1 }),
    clip: 1,
    rng: new Generator(1),
    epoch: 7,
    onBatch: (done, totals) => {
      calls.push(done);
      assert.equal(totals.numBatches, done);
    },
  });
  assert.deepEqual(calls, Array.from({ length: calls.length }, (_, i) => i + 1));
  assert.equal(m.epoch, 7);
  assert.equal(m.tokens, calls.length * 4 * 8);
  assert.ok(m.loss > 0 && m.perplexity === Math.exp(m.loss) && m.tokensPerSecond > 0 && m.gradNorm > 0);
});
