import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator } from "../../../src/tensor/random.js";
import {
  randomBatchCount,
  seqDataIterRandom,
  seqDataIterSequential,
  sequentialBatchCount,
  type Batch,
} from "../../../src/data/text/samplers.js";

/** corpus[i] = i, so every value in a batch is its own position in the corpus. */
function arange(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Row r of a (B, T) row-major batch array. */
function row(a: Int32Array, r: number, numSteps: number): number[] {
  return [...a.subarray(r * numSteps, (r + 1) * numSteps)];
}

function rowStarts(b: Batch): number[] {
  return Array.from({ length: b.batchSize }, (_, r) => b.x[r * b.numSteps] ?? -1);
}

function assertShiftedByOne(b: Batch): void {
  assert.equal(b.x.length, b.batchSize * b.numSteps);
  assert.equal(b.y.length, b.batchSize * b.numSteps);
  for (let r = 0; r < b.batchSize; r++) {
    const x = row(b.x, r, b.numSteps);
    assert.deepEqual(row(b.y, r, b.numSteps), x.map((v) => v + 1));
    assert.deepEqual(x, x.map((_, t) => (x[0] ?? 0) + t));
  }
}

test("random sampler: rows are corpus slices of numSteps, y is x one token later", () => {
  const batches = [...seqDataIterRandom(arange(101), 3, 5, new Generator(1))];
  assert.ok(batches.length > 0);
  for (const b of batches) {
    assert.equal(b.batchSize, 3);
    assert.equal(b.numSteps, 5);
    assertShiftedByOne(b);
  }
});

test("random sampler: subsequences are disjoint, start at offset + k·numSteps, and the count is d2l's", () => {
  const n = 103;
  const numSteps = 7;
  const batchSize = 2;
  const offsetsSeen = new Set<number>();
  for (let seed = 0; seed < 200; seed++) {
    const batches = [...seqDataIterRandom(arange(n), batchSize, numSteps, new Generator(seed))];
    const starts = batches.flatMap(rowStarts);
    const offset = (starts[0] ?? 0) % numSteps;
    offsetsSeen.add(offset);
    assert.ok(starts.every((s) => (s - offset) % numSteps === 0 && s >= offset));
    // Disjoint: distinct starts a multiple of numSteps apart cannot overlap.
    assert.equal(new Set(starts).size, starts.length);
    const numSubseqs = Math.floor((n - offset - 1) / numSteps);
    assert.equal(batches.length, Math.floor(numSubseqs / batchSize));
    assert.equal(batches.length, randomBatchCount(n, batchSize, numSteps, offset));
    // The last target still lies in the corpus.
    assert.ok(starts.every((s) => s + numSteps < n));
  }
  // d2l draws the offset from random.randint(0, num_steps - 1): both ends, nothing else.
  assert.deepEqual([...offsetsSeen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
});

test("random sampler draws one randint(0, numSteps), then shuffles the starts, as d2l", () => {
  const n = 200;
  const numSteps = 6;
  const batchSize = 4;
  const rng = new Generator(42);
  const starts = [...seqDataIterRandom(arange(n), batchSize, numSteps, rng)].flatMap(rowStarts);

  const ref = new Generator(42);
  const offset = ref.randint(0, numSteps);
  const numSubseqs = Math.floor((n - offset - 1) / numSteps);
  const order = ref.shuffle(Array.from({ length: numSubseqs }, (_, k) => offset + k * numSteps));
  assert.deepEqual(starts, order.slice(0, Math.floor(numSubseqs / batchSize) * batchSize));
  assert.deepEqual(rng.getState(), ref.getState());
});

test("random sampler: same seed, same batches; different seeds, different batches", () => {
  const corpus = arange(500);
  const run = (seed: number): Batch[] => [...seqDataIterRandom(corpus, 4, 5, new Generator(seed))];
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
});

test("sequential sampler: batches continue each other row by row, y is x one token later", () => {
  const n = 103;
  const batchSize = 3;
  const numSteps = 5;
  for (let seed = 0; seed < 20; seed++) {
    const batches = [...seqDataIterSequential(arange(n), batchSize, numSteps, new Generator(seed))];
    assert.ok(batches.length >= 2);
    for (const b of batches) assertShiftedByOne(b);
    for (let k = 0; k + 1 < batches.length; k++) {
      const prev = batches[k];
      const next = batches[k + 1];
      assert.ok(prev !== undefined && next !== undefined);
      for (let r = 0; r < batchSize; r++) {
        // Row r of batch k+1 starts right where row r of batch k ended.
        assert.equal(next.x[r * numSteps], (prev.x[r * numSteps + numSteps - 1] ?? 0) + 1);
      }
    }
  }
});

test("sequential sampler: rows are the corpus cut into batchSize equal parts after the offset", () => {
  const n = 100;
  const batchSize = 4;
  const numSteps = 3;
  const offsetsSeen = new Set<number>();
  for (let seed = 0; seed < 200; seed++) {
    const batches = [...seqDataIterSequential(arange(n), batchSize, numSteps, new Generator(seed))];
    const first = batches[0];
    assert.ok(first !== undefined);
    const offset = first.x[0] ?? -1;
    offsetsSeen.add(offset);
    const cols = Math.floor((n - offset - 1) / batchSize);
    assert.deepEqual(rowStarts(first), [0, 1, 2, 3].map((r) => offset + r * cols));
    assert.equal(batches.length, Math.floor(cols / numSteps));
    assert.equal(batches.length, sequentialBatchCount(n, batchSize, numSteps, offset));
  }
  // d2l draws the offset from random.randint(0, num_steps): 0..numSteps, both ends included.
  assert.deepEqual([...offsetsSeen].sort((a, b) => a - b), [0, 1, 2, 3]);
});

test("sequential sampler on real-looking data: the last target of a batch is the next batch's first input", () => {
  const corpus = Int32Array.from({ length: 300 }, (_, i) => (i * 7919) % 31);
  const batches = [...seqDataIterSequential(corpus, 2, 10, new Generator(3))];
  for (let k = 0; k + 1 < batches.length; k++) {
    const prev = batches[k];
    const next = batches[k + 1];
    assert.ok(prev !== undefined && next !== undefined);
    for (let r = 0; r < 2; r++) {
      const x = row(prev.x, r, 10);
      const y = row(prev.y, r, 10);
      assert.deepEqual(y.slice(0, 9), x.slice(1));
      assert.equal(y[9], next.x[r * 10]);
    }
  }
});

test("sequential sampler draws exactly one randint(0, numSteps + 1); same seed same batches", () => {
  const corpus = arange(400);
  const rng = new Generator(5);
  const a = [...seqDataIterSequential(corpus, 4, 6, rng)];
  const ref = new Generator(5);
  const offset = ref.randint(0, 7);
  assert.equal(a[0]?.x[0], offset);
  assert.deepEqual(rng.getState(), ref.getState());
  assert.deepEqual([...seqDataIterSequential(corpus, 4, 6, new Generator(5))], a);
  const offsets = new Set(Array.from({ length: 10 }, (_, s) => [...seqDataIterSequential(corpus, 4, 6, new Generator(s))][0]?.x[0]));
  assert.ok(offsets.size > 1);
});

test("samplers yield nothing when the corpus is too short, as d2l", () => {
  assert.deepEqual([...seqDataIterRandom(arange(3), 2, 5, new Generator(0))], []);
  assert.deepEqual([...seqDataIterSequential(arange(3), 2, 5, new Generator(0))], []);
  assert.deepEqual([...seqDataIterRandom(new Int32Array(0), 1, 1, new Generator(0))], []);
  assert.deepEqual([...seqDataIterSequential(new Int32Array(0), 1, 1, new Generator(0))], []);
});

test("samplers reject bad batchSize, numSteps and corpus at the call, naming the function", () => {
  const g = new Generator(0);
  assert.throws(() => seqDataIterRandom(arange(10), 0, 2, g), /seqDataIterRandom: batchSize must be a positive integer, got 0/);
  assert.throws(() => seqDataIterRandom(arange(10), 1, 2.5, g), /seqDataIterRandom: numSteps must be a positive integer, got 2\.5/);
  assert.throws(() => seqDataIterSequential(arange(10), 1, -1, g), /seqDataIterSequential: numSteps must be a positive integer, got -1/);
  // @ts-expect-error: checking the runtime guard for untyped callers
  assert.throws(() => seqDataIterSequential([1, 2, 3], 1, 1, g), /seqDataIterSequential: corpus must be an Int32Array/);
});
