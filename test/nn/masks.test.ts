// Lengths and Keras masks on every cell, fused and generic: each masked sequence must behave as
// that sequence run alone on its real steps; PyTorch's zero outputs past a length and Keras's
// carried outputs are both kept; Bidirectional, Masking, Embedding({ maskZero, paddingIdx }).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LSTM,
  GRU,
  RNN,
  PeepholeLSTM,
  LayerNormLSTM,
  RecurrentLayer,
  Bidirectional,
  Masking,
  Embedding,
  Sequential,
  Tensor,
  defineCell,
  getCell,
  setCellLog,
  layerFromConfig,
  layerToConfig,
  type RNNBase,
} from "recurrent";

setCellLog(() => {});
const lstmSpec = getCell("lstm");
defineCell({ name: "masks_generic_lstm", states: lstmSpec.states, gatesPerUnit: 4, parameters: lstmSpec.parameters.filter((p) => p.projection !== true), step: lstmSpec.step!, replace: true });

/** Deterministic values in (-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const I = 3;
const H = 4;
const makers: [string, (bi: boolean) => RNNBase][] = [
  ["rnn_tanh", (bi) => new RNN({ inputSize: I, hiddenSize: H, bidirectional: bi })],
  ["rnn_relu", (bi) => new RNN({ inputSize: I, hiddenSize: H, bidirectional: bi, nonlinearity: "relu" })],
  ["lstm", (bi) => new LSTM({ inputSize: I, hiddenSize: H, bidirectional: bi, numLayers: 2 })],
  ["lstm_proj", (bi) => new LSTM({ inputSize: I, hiddenSize: H, bidirectional: bi, projSize: 2 })],
  ["gru", (bi) => new GRU({ inputSize: I, hiddenSize: H, bidirectional: bi })],
  ["peephole_lstm", (bi) => new PeepholeLSTM({ inputSize: I, hiddenSize: H, bidirectional: bi })],
  ["layernorm_lstm", (bi) => new LayerNormLSTM({ inputSize: I, hiddenSize: H, bidirectional: bi })],
  ["generic", (bi) => new RecurrentLayer({ cell: "masks_generic_lstm", inputSize: I, hiddenSize: H, bidirectional: bi })],
];

// (B, T) keep masks with holes, leading masked steps and an all-masked row.
const keep = [
  [1, 1, 1, 1, 1],
  [1, 0, 1, 1, 0],
  [0, 0, 1, 0, 1],
  [0, 0, 0, 0, 0],
];
const T = 5;
const B = keep.length;

function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string, tol = 2e-6): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}: element ${i} is ${a[i]}, expected ${b[i]}`);
}

/** Rows of a (T, B, W) tensor's data at (t, b). */
const at = (data: Float32Array, t: number, b: number, W: number): Float32Array => data.subarray((t * B + b) * W, (t * B + b + 1) * W);

for (const [name, make] of makers) {
  for (const bi of [false, true]) {
    test(`a masked sequence runs as its real steps alone (${name}, ${bi ? "bidirectional" : "one direction"})`, () => {
      const layer = make(bi);
      const D = bi ? 2 : 1;
      const P = layer.outputSize;
      const L = layer.numLayers;
      const x = new Tensor(values(T * B * I, 7), [T, B, I]);
      const [out, state] = layer.forwardState(x, null, { mask: keep });
      for (let b = 0; b < B; b++) {
        const real = keep[b]!.flatMap((k, t) => (k === 1 ? [t] : []));
        const zero = new Float32Array(P);
        let alone: { out: Float32Array; h: Float32Array } | null = null;
        if (real.length > 0) {
          const xs = new Float32Array(real.length * I);
          real.forEach((t, k) => xs.set(at(x.data, t, b, I), k * I));
          const [o, s] = layer.forwardState(new Tensor(xs, [real.length, 1, I]));
          alone = { out: o.data, h: s.h.data };
          // Final states of every layer and direction.
          for (let k = 0; k < L * D; k++) close(state.h.data.subarray((k * B + b) * P, (k * B + b + 1) * P), alone.h.subarray(k * P, (k + 1) * P), `row ${b} hN[${k}]`);
        } else {
          for (let k = 0; k < L * D; k++) close(state.h.data.subarray((k * B + b) * P, (k * B + b + 1) * P), zero, `all-masked row ${b} keeps h0`);
        }
        for (let t = 0; t < T; t++) {
          const got = at(out.data, t, b, D * P);
          // Forward: the latest real step at or before t; backward: the earliest at or after t.
          const kf = real.filter((r) => r <= t).length - 1;
          const fw = alone === null || kf < 0 ? zero : alone.out.subarray(kf * D * P, kf * D * P + P);
          close(got.subarray(0, P), fw, `row ${b} step ${t} forward output`);
          if (bi) {
            const kb = real.findIndex((r) => r >= t);
            const bw = alone === null || kb < 0 ? zero : alone.out.subarray(kb * D * P + P, (kb + 1) * D * P);
            close(got.subarray(P), bw, `row ${b} step ${t} backward output`);
          }
        }
      }
    });
  }
}

test("lengths zero the outputs past each length; the same suffix mask carries the last output", () => {
  const layer = new LSTM({ inputSize: I, hiddenSize: H });
  const x = new Tensor(values(T * B * I, 3), [T, B, I]);
  const lengths = [5, 2, 3, 0];
  const [outL, sL] = layer.forward(x, null, { lengths });
  const mask = lengths.map((n) => Array.from({ length: T }, (_, t) => t < n));
  const [outM, sM] = layer.forward(x, null, { mask });
  close(sL.h.data, sM.h.data, "final h");
  close(sL.c.data, sM.c.data, "final c");
  lengths.forEach((n, b) => {
    for (let t = 0; t < T; t++) {
      if (t < n) close(at(outL.data, t, b, H), at(outM.data, t, b, H), `real step ${t} of row ${b}`);
      else {
        assert.ok(at(outL.data, t, b, H).every((v) => v === 0), `lengths: row ${b} step ${t} is zero`);
        const carried = n === 0 ? new Float32Array(H) : at(outM.data, n - 1, b, H);
        close(at(outM.data, t, b, H), carried, `mask: row ${b} step ${t} repeats step ${n - 1}`);
      }
    }
  });
});

test("lengths: gradients do not reach the padding, and a zero length keeps the initial state", () => {
  const layer = new GRU({ inputSize: I, hiddenSize: H, bidirectional: true });
  const x = new Tensor(values(T * B * I, 5), [T, B, I], true);
  const h0 = new Tensor(values(2 * B * H, 9), [2, B, H], true);
  const lengths = new Int32Array([3, 5, 0, 1]);
  const [out, hN] = layer.forward(x, h0, { lengths });
  out.sum().add(hN.sum()).backward();
  lengths.forEach((n, b) => {
    for (let t = n; t < T; t++) assert.ok(at(x.grad!.data, t, b, I).every((v) => v === 0), `no gradient at padding (${t}, ${b})`);
  });
  for (let k = 0; k < 2; k++) close(hN.data.subarray((k * B + 2) * H, (k * B + 3) * H), h0.data.subarray((k * B + 2) * H, (k * B + 3) * H), "zero length: hN = h0");
  assert.ok(h0.grad!.data.subarray(2 * H, 3 * H).every((v) => v === 1), "zero length: dh0 = dhN");
});

test("Bidirectional with lengths equals the layer's own bidirectional: true, batch first", () => {
  const both = new LSTM({ inputSize: I, hiddenSize: H, bidirectional: true, batchFirst: true });
  const fw = new LSTM({ inputSize: I, hiddenSize: H, batchFirst: true });
  const wrapped = new Bidirectional(fw);
  const sd = both.stateDict();
  fw.loadStateDict(Object.fromEntries(Object.keys(fw.stateDict()).map((k) => [k, sd[k]!])));
  wrapped.backwardLayer.loadStateDict(Object.fromEntries(Object.keys(fw.stateDict()).map((k) => [k, sd[`${k}_reverse`]!])));
  const x = new Tensor(values(B * T * I, 11), [B, T, I]);
  const lengths = [2, 5, 1, 4];
  const [a, sa] = both.forward(x, null, { lengths });
  const [b, [sf, sb]] = wrapped.forward(x, null, { lengths });
  close(b.data, a.data, "outputs");
  close(sf.h.data, sa.h.data.subarray(0, B * H), "forward hN");
  close(sb.h.data, sa.h.data.subarray(B * H), "backward hN");
  const [m] = wrapped.forward(x, null, { mask: keep });
  const [m2] = both.forward(x, null, { mask: keep });
  close(m.data, m2.data, "masked outputs");
});

test("Bidirectional merge modes, config round trip and errors", () => {
  const x = new Tensor(values(T * 2 * I, 13), [T, 2, I]);
  const fw = new GRU({ inputSize: I, hiddenSize: H });
  const pairs = new Bidirectional(fw, { mergeMode: null });
  const [[f, b]] = pairs.forward(x);
  const expect = { sum: (p: number, q: number) => p + q, mul: (p: number, q: number) => p * q, ave: (p: number, q: number) => (p + q) / 2 };
  for (const mode of ["sum", "mul", "ave"] as const) {
    const m = new Bidirectional(fw, { mergeMode: mode, backwardLayer: pairs.backwardLayer });
    const [out] = m.forward(x);
    close(out.data, f.data.map((v, i) => expect[mode](v, b.data[i]!)), `mergeMode ${mode}`);
  }
  const spec = layerToConfig(pairs);
  assert.equal(spec.className, "Bidirectional");
  const copy = layerFromConfig(JSON.parse(JSON.stringify(spec)));
  assert.ok(copy instanceof Bidirectional);
  assert.deepEqual(layerToConfig(copy), spec);
  assert.deepEqual(Object.keys(pairs.stateDict()).slice(0, 2), ["forward_layer.weight_ih_l0", "forward_layer.weight_hh_l0"]);
  assert.throws(() => new Bidirectional(new LSTM({ inputSize: I, hiddenSize: H, bidirectional: true })), /already bidirectional/);
  assert.throws(() => new Bidirectional(fw, { mergeMode: "max" as unknown as "sum" }), /mergeMode must be/);
});

test("lengths and mask arguments fail with the layer, the argument and what came", () => {
  const layer = new LSTM({ inputSize: I, hiddenSize: H });
  const x = new Tensor(values(T * B * I, 1), [T, B, I]);
  assert.throws(() => layer.forward(x, null, { lengths: [1, 2] }), /LSTM\(hiddenSize=4\)\.forward: lengths has 2 entries but the batch has B = 4/);
  assert.throws(() => layer.forward(x, null, { lengths: [1, 2, 6, 1] }), /lengths\[2\] must be an integer in \[0, T = 5\], got 6/);
  assert.throws(() => layer.forward(x, null, { lengths: [1, 2, 3, 4], mask: keep }), /give lengths or mask, not both/);
  assert.throws(() => layer.forward(x, null, { mask: new Tensor(new Float32Array(T * B), [T, B]) }), /mask must have shape \(B, T\) = \(4, 5\), got \[5, 4\]/);
});

test("Masking and Embedding({ maskZero }) pass their mask to the next recurrent layer", () => {
  const lstm = new LSTM({ inputSize: I, hiddenSize: H, batchFirst: true });
  const raw = values(B * T * I, 17);
  keep.forEach((row, b) => row.forEach((k, t) => k === 0 && raw.fill(0, (b * T + t) * I, (b * T + t + 1) * I)));
  const x = new Tensor(raw, [B, T, I]);
  const viaMasking = new Sequential([new Masking(), lstm]).forward(x);
  const [explicit] = lstm.forward(x, null, { mask: keep });
  close(viaMasking.data, explicit.data, "Masking then LSTM");
  const emb = new Embedding({ numEmbeddings: 6, embeddingDim: I, maskZero: true });
  const ids = new Tensor(Float32Array.from(keep.flatMap((row, b) => row.map((k, t) => (k === 1 ? 1 + ((b + t) % 5) : 0)))), [B, T]);
  const [viaEmbedding] = lstm.forward(emb.forward(ids));
  const [explicit2] = lstm.forward(emb.forward(ids), null, { mask: keep });
  close(viaEmbedding.data, explicit2.data, "Embedding(maskZero) then LSTM");
  assert.deepEqual(emb.getConfig(), { numEmbeddings: 6, embeddingDim: I, maskZero: true });
});

test("Embedding({ paddingIdx }) starts that row at zeros and never gives it a gradient", () => {
  const emb = new Embedding({ numEmbeddings: 5, embeddingDim: 3, paddingIdx: -1 });
  assert.equal(emb.paddingIdx, 4);
  assert.ok(emb.weight.data.subarray(12, 15).every((v) => v === 0));
  emb.weight.data.set([1, 2, 3], 12); // a loaded padding row is read as it is
  const out = emb.forward([4, 1, 4, 2], [2, 2]);
  assert.deepEqual([...out.data.subarray(0, 3)], [1, 2, 3]);
  out.mul(new Tensor(values(12, 2), [2, 2, 3])).sum().backward();
  assert.ok(emb.weight.grad!.data.subarray(12, 15).every((v) => v === 0), "no gradient on the padding row");
  assert.ok(emb.weight.grad!.data.subarray(3, 6).some((v) => v !== 0), "other rows get theirs");
  assert.throws(() => new Embedding({ numEmbeddings: 5, embeddingDim: 3, paddingIdx: 5 }), /paddingIdx must be in \[-5, 5\)/);
  assert.throws(() => emb.forward([0, 7]), /index 7 at position 1 is outside \[0, 5\)/);
});

test("unbatched input takes lengths of one entry (or a Tensor) and a (T) mask", () => {
  const layer = new GRU({ inputSize: I, hiddenSize: H });
  const x = new Tensor(values(T * I, 31), [T, I]);
  const [batched] = layer.forward(new Tensor(x.data, [T, 1, I]), null, { lengths: [3] });
  const [one] = layer.forward(x, null, { lengths: new Tensor(Float32Array.from([3]), [1]) });
  assert.deepEqual(one.shape, [T, H]);
  assert.deepEqual([...one.data], [...batched.data]);
  const [masked] = layer.forward(x, null, { mask: new Tensor(Float32Array.from([1, 1, 1, 0, 0]), [T]) });
  close(masked.data.subarray(0, 3 * H), one.data.subarray(0, 3 * H), "real steps");
  close(masked.data.subarray(3 * H, 4 * H), one.data.subarray(2 * H, 3 * H), "a masked step repeats the last output");
});

test("a second backward with retainGraph through a layer with lengths gives the same gradients", () => {
  const layer = new LSTM({ inputSize: I, hiddenSize: H, bidirectional: true });
  const x = new Tensor(values(T * B * I, 41), [T, B, I], true);
  const [out] = layer.forward(x, null, { lengths: [5, 2, 4, 1] });
  const loss = out.mul(new Tensor(values(out.size, 42), out.shape)).sum();
  loss.backward({ retainGraph: true });
  const first = Float32Array.from(x.grad!.data);
  x.grad = null;
  loss.backward();
  assert.deepEqual([...x.grad!.data], [...first]);
});
