// padSequences (Keras's pad_sequences) and padSequence (PyTorch's pad_sequence).
import { test } from "node:test";
import assert from "node:assert/strict";
import { padSequences, padSequence, Tensor } from "recurrent";

test("padSequences pads and truncates before by default, as Keras", () => {
  const { padded, lengths } = padSequences([[1, 2, 3], [4], [5, 6, 7, 8]], { maxlen: 3 });
  assert.deepEqual(padded.shape, [3, 3]);
  assert.deepEqual([...padded.data], [1, 2, 3, 0, 0, 4, 6, 7, 8]);
  assert.deepEqual([...lengths], [3, 1, 3]);
});

test("padSequences post padding and truncating, a value, feature vectors and the longest length", () => {
  const a = padSequences([[1, 2, 3], [4]], { padding: "post", truncating: "post", maxlen: 2, value: -1 });
  assert.deepEqual([...a.padded.data], [1, 2, 4, -1]);
  const v = padSequences([[[1, 2]], [[3, 4], [5, 6]]], { padding: "post" });
  assert.deepEqual(v.padded.shape, [2, 2, 2]);
  assert.deepEqual([...v.padded.data], [1, 2, 0, 0, 3, 4, 5, 6]);
  assert.throws(() => padSequences([[1, [2, 3]]]), /sequences\[0\]\[1\] has 2 features, but the first step has a number/);
  assert.throws(() => padSequences([[1]], { padding: "middle" as "pre" }), /padding/);
});

test("padSequence stacks tensors of different lengths, time or batch first, and passes gradients back", () => {
  const a = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2], true);
  const b = new Tensor(Float32Array.from([7, 8]), [1, 2], true);
  const tm = padSequence([a, b], { paddingValue: 9 });
  assert.deepEqual(tm.padded.shape, [3, 2, 2]);
  assert.deepEqual([...tm.padded.data], [1, 2, 7, 8, 3, 4, 9, 9, 5, 6, 9, 9]);
  assert.deepEqual([...tm.lengths], [3, 1]);
  const bf = padSequence([a, b], { batchFirst: true });
  assert.deepEqual([...bf.padded.data], [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
  bf.padded.mul(new Tensor(Float32Array.from({ length: 12 }, (_, i) => i), [2, 3, 2])).sum().backward();
  assert.deepEqual([...a.grad!.data], [0, 1, 2, 3, 4, 5]);
  assert.deepEqual([...b.grad!.data], [6, 7]);
  assert.throws(() => padSequence([a, new Tensor(new Float32Array(3), [1, 3])]), /sequences\[1\] has shape \[1, 3\]/);
});
