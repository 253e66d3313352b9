import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor } from "recurrent";
import { DataLoader, Generator, SequenceDataset, Subset, TensorDataset, padCollate, splitDataset, stackCollate, tensorLoader, type TensorBatch } from "recurrent";

/** 10 examples whose x row is [i, 10 i] and y is i. */
function ds(n = 10): TensorDataset {
  const x = Float32Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? k / 2 : 10 * ((k - 1) / 2)));
  return new TensorDataset(tensor(x, [n, 2]), tensor(Float32Array.from({ length: n }, (_, i) => i), [n, 1]));
}

const ids = (b: TensorBatch): number[] => [...(b.y?.data ?? [])];

test("batches in order without shuffle; the last batch is short unless dropLast", () => {
  const loader = tensorLoader(ds(), { batchSize: 4 });
  const batches = [...loader.epoch()];
  assert.deepEqual(batches.map(ids), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.deepEqual(batches[0]!.x.shape, [4, 2]);
  assert.deepEqual([...batches[2]!.x.data], [8, 80, 9, 90]);
  assert.equal(loader.numBatches(), 3);
  assert.equal(tensorLoader(ds(), { batchSize: 4, dropLast: true }).numBatches(), 2);
  assert.deepEqual([...tensorLoader(ds(), { batchSize: 4, dropLast: true })].map(ids), [[0, 1, 2, 3], [4, 5, 6, 7]]);
});

test("seeded shuffling: each epoch a new permutation, the same seed the same epochs, another seed others", () => {
  const epochs = (seed: number): number[][] => {
    const l = tensorLoader(ds(), { batchSize: 3, shuffle: true, seed });
    return [0, 1, 2].map(() => [...l.epoch()].flatMap(ids));
  };
  const a = epochs(1);
  assert.deepEqual(a, epochs(1));
  assert.notDeepEqual(a, epochs(2));
  for (const e of a) assert.deepEqual([...e].sort((p, q) => p - q), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(a[0], a[1]);
  // The generator's state continues the sequence exactly (what a checkpoint restores).
  const l = tensorLoader(ds(), { batchSize: 3, shuffle: true, seed: 1 });
  [...l.epoch()];
  const copy = tensorLoader(ds(), { batchSize: 3, shuffle: true, seed: 99 });
  copy.generator.setState(l.generator.getState());
  assert.deepEqual([...copy.epoch()].flatMap(ids), a[1]);
});

test("padCollate pads to the longest sequence and returns the lengths, batch-first or time-major", () => {
  const seqs = [Float32Array.from([1, 2, 3, 4]), Float32Array.from([5, 6]), Float32Array.from([7, 8, 9, 10, 11, 12])];
  const data = new SequenceDataset(seqs, [Float32Array.of(0), Float32Array.of(1), Float32Array.of(2)], 2);
  const loader = new DataLoader(data, { batchSize: 3, collate: padCollate({ padValue: -1 }) });
  const [batch] = [...loader.epoch()];
  assert.ok(batch !== undefined);
  assert.deepEqual(batch.x.shape, [3, 3, 2]);
  assert.deepEqual([...batch.lengths], [2, 1, 3]);
  assert.deepEqual([...batch.x.data], [1, 2, 3, 4, -1, -1, 5, 6, -1, -1, -1, -1, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual([...batch.y.data], [0, 1, 2]);
  const tm = padCollate({ timeMajor: true })([data.get(0), data.get(1)]);
  assert.deepEqual(tm.x.shape, [2, 2, 2]);
  assert.deepEqual([...tm.x.data], [1, 2, 5, 6, 3, 4, 0, 0]);
  assert.throws(() => new SequenceDataset([Float32Array.of(1, 2, 3)], [Float32Array.of(0)], 2), /sequence 0 has 3 values, not a positive multiple of features = 2/);
});

test("splits: the last fraction held out (or a seeded random split), sizes as asked", () => {
  const [train, val] = splitDataset(ds(), 0.3);
  assert.equal(train.length, 7);
  assert.equal(val.length, 3);
  assert.deepEqual(val.indices, [7, 8, 9]);
  const [tl, vl] = tensorLoader(ds(), { batchSize: 4 }).split(0.2);
  assert.deepEqual([...tl.epoch()].flatMap(ids), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...vl.epoch()].flatMap(ids), [8, 9]);
  const [r1, r2] = splitDataset(ds(), 0.5, new Generator(3));
  assert.equal(r1.length + r2.length, 10);
  assert.deepEqual([...r1.indices, ...r2.indices].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(r2.indices, [5, 6, 7, 8, 9]);
  assert.throws(() => splitDataset(ds(), 1), /fraction must be a number in \(0, 1\), got 1/);
  assert.throws(() => splitDataset(ds(2), 0.1), /leaves 0 for validation/);
  assert.throws(() => new Subset(ds(), [10]), /Subset: index must be an integer in \[0, 9\], got 10/);
  assert.throws(() => stackCollate([]), /needs at least one example/);
  assert.throws(() => new TensorDataset(tensor([[1], [2]]), tensor([1, 2, 3])), /y has shape \[3\] but x has 2 examples/);
});

