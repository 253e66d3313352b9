import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Generator } from "../../../src/tensor/random.js";
import { SeqDataLoader, type SamplerKind } from "../../../src/data/text/loader.js";
import { loadCorpus } from "../../../src/data/text/corpus.js";
import { randomBatchCount, seqDataIterRandom, seqDataIterSequential, sequentialBatchCount } from "../../../src/data/text/samplers.js";

const samplers: SamplerKind[] = ["random", "sequential"];

function arange(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

test("SeqDataLoader.epoch gives the chosen sampler's batches for the same generator", () => {
  const corpus = arange(300);
  const random = new SeqDataLoader(corpus, { batchSize: 4, numSteps: 5, sampler: "random" });
  assert.deepEqual([...random.epoch(new Generator(9))], [...seqDataIterRandom(corpus, 4, 5, new Generator(9))]);
  const sequential = new SeqDataLoader(corpus, { batchSize: 4, numSteps: 5 });
  assert.equal(sequential.sampler, "sequential");
  assert.deepEqual([...sequential.epoch(new Generator(9))], [...seqDataIterSequential(corpus, 4, 5, new Generator(9))]);
});

test("SeqDataLoader: successive epochs from one generator differ, and a reseeded one repeats them", () => {
  for (const sampler of samplers) {
    const loader = new SeqDataLoader(arange(500), { batchSize: 3, numSteps: 7, sampler });
    const rng = new Generator(1);
    const epochs = Array.from({ length: 4 }, () => [...loader.epoch(rng)]);
    assert.ok(epochs.some((e) => JSON.stringify(e) !== JSON.stringify(epochs[0])), sampler);
    rng.seed(1);
    assert.deepEqual([...loader.epoch(rng)], epochs[0]);
  }
});

test("SeqDataLoader.numBatches is the most an epoch yields and minNumBatches the fewest, both reached", () => {
  for (const sampler of samplers) {
    for (const [n, batchSize, numSteps] of [[103, 2, 7], [500, 4, 5], [64, 1, 9], [1000, 32, 5]] as const) {
      const loader = new SeqDataLoader(arange(n), { batchSize, numSteps, sampler });
      const seen = new Set<number>();
      for (let seed = 0; seed < 300; seed++) seen.add([...loader.epoch(new Generator(seed))].length);
      const counts = [...seen].sort((a, b) => a - b);
      assert.equal(counts[counts.length - 1], loader.numBatches(), `${sampler} ${n} ${batchSize} ${numSteps}`);
      assert.equal(counts[0], loader.minNumBatches(), `${sampler} ${n} ${batchSize} ${numSteps}`);
      assert.ok(loader.numBatches() - loader.minNumBatches() <= 1);
    }
  }
});

test("SeqDataLoader.minCorpusLength is the shortest corpus with a batch for every offset", () => {
  for (const sampler of samplers) {
    const count = sampler === "random" ? randomBatchCount : sequentialBatchCount;
    const maxOffset = sampler === "random" ? (t: number) => t - 1 : (t: number) => t;
    for (let batchSize = 1; batchSize <= 5; batchSize++) {
      for (let numSteps = 1; numSteps <= 6; numSteps++) {
        let shortest = 0;
        const everyOffsetHasABatch = (n: number): boolean => {
          for (let o = 0; o <= maxOffset(numSteps); o++) if (count(n, batchSize, numSteps, o) < 1) return false;
          return true;
        };
        while (!everyOffsetHasABatch(shortest)) shortest++;
        assert.equal(SeqDataLoader.minCorpusLength(batchSize, numSteps, sampler), shortest);
        assert.doesNotThrow(() => new SeqDataLoader(arange(shortest), { batchSize, numSteps, sampler }));
        assert.throws(() => new SeqDataLoader(arange(shortest - 1), { batchSize, numSteps, sampler }), /at least/);
      }
    }
  }
});

test("SeqDataLoader on The Time Machine: d2l's batch shape (32, 35) over the whole book", () => {
  const text = readFileSync(new URL("../../../data/timemachine.txt", import.meta.url), "utf8");
  const { corpus } = loadCorpus(text);
  const loader = new SeqDataLoader(corpus, { batchSize: 32, numSteps: 35, sampler: "sequential" });
  // 170580 tokens: floor(floor(170579 / 32) / 35) = floor(5330 / 35) = 152 at offset 0.
  assert.equal(loader.numBatches(), Math.floor(Math.floor((corpus.length - 1) / 32) / 35));
  let batches = 0;
  for (const b of loader.epoch(new Generator(0))) {
    assert.equal(b.x.length, 32 * 35);
    batches++;
  }
  assert.ok(batches === loader.numBatches() || batches === loader.minNumBatches());
});

test("SeqDataLoader rejects bad options and short corpora, naming the argument", () => {
  const c = arange(100);
  assert.throws(
    () => new SeqDataLoader(c, { batchSize: 0, numSteps: 5 }),
    /^Error: SeqDataLoader: batchSize must be a positive integer, got 0$/,
  );
  assert.throws(() => new SeqDataLoader(c, { batchSize: 2, numSteps: 1.5 }), /SeqDataLoader: numSteps must be a positive integer, got 1\.5/);
  assert.throws(
    // @ts-expect-error: checking the runtime guard for untyped callers
    () => new SeqDataLoader(c, { batchSize: 2, numSteps: 5, sampler: "shuffle" }),
    /SeqDataLoader: sampler must be "random" or "sequential", got "shuffle"/,
  );
  // @ts-expect-error: checking the runtime guard for untyped callers
  assert.throws(() => new SeqDataLoader([1, 2], { batchSize: 1, numSteps: 1 }), /SeqDataLoader: corpus must be an Int32Array/);
  assert.throws(
    () => new SeqDataLoader(arange(20), { batchSize: 4, numSteps: 5, sampler: "random" }),
    /^Error: SeqDataLoader: corpus must have at least 25 tokens for one batch in every epoch \(batchSize=4, numSteps=5, sampler "random"\), got 20$/,
  );
  assert.throws(
    () => new SeqDataLoader(arange(25), { batchSize: 4, numSteps: 5, sampler: "sequential" }),
    /corpus must have at least 26 tokens .*got 25$/,
  );
});
