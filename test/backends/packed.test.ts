// Packed calls (lengths and masks) on every fused cell: the wasm drivers, on one thread and on
// three, against the reference backend's spec, outputs, final states and every gradient; and the
// packed contract's argument checks.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { RecurrentLayer, Tensor, noGrad, setBackend, getBackend, referenceBackend, type Backend } from "recurrent";
import { loadWasmBackend, createWasmBackend, type WasmBackend } from "../../src/backends/wasm/index.js";

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const T = 6;
const B = 5;
const I = 3;
const H = 5;
const lengths = [4, 1, 6, 3, 6];
const mask = [
  [1, 0, 1, 1, 0, 1],
  [0, 0, 0, 1, 0, 0],
  [1, 1, 1, 1, 1, 1],
  [0, 1, 0, 1, 0, 1],
  [1, 1, 0, 0, 0, 0],
];
const cells: [string, number][] = [
  ["rnn_tanh", 0],
  ["rnn_relu", 0],
  ["lstm", 0],
  ["lstm", 3],
  ["gru", 0],
  ["peephole_lstm", 0],
  ["layernorm_lstm", 0],
];

/** Output, final states and every gradient of a fixed loss, on `backend`. */
function run(backend: Backend, cell: string, projSize: number, opts: { lengths: number[] } | { mask: number[][] }): Float32Array[] {
  const previous = getBackend();
  setBackend(backend);
  try {
    const layer = new RecurrentLayer({ cell, inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, projSize });
    const sd = layer.stateDict();
    Object.keys(sd).forEach((k, i) => sd[k]!.data.set(values(sd[k]!.size, 100 + i)));
    const x = new Tensor(values(T * B * I, 1), [T, B, I], true);
    const P = layer.outputSize;
    const h0 = new Tensor(values(4 * B * P, 2), [4, B, P], true);
    const c0 = layer.spec.states.length === 2 ? new Tensor(values(4 * B * H, 3), [4, B, H], true) : null;
    const [out, s] = layer.forward(x, c0 === null ? { h: h0 } : { h: h0, c: c0 }, opts);
    let loss = out.mul(new Tensor(values(out.size, 4), out.shape)).sum().add(s.h.mul(new Tensor(values(s.h.size, 5), s.h.shape)).sum());
    if (s.c !== undefined) loss = loss.add(s.c.mul(new Tensor(values(s.c.size, 6), s.c.shape)).sum());
    loss.backward();
    return [out.data, s.h.data, s.c?.data ?? new Float32Array(0), x.grad!.data, h0.grad!.data, c0?.grad?.data ?? new Float32Array(0), ...Object.values(sd).map((p) => p.grad!.data)];
  } finally {
    setBackend(previous);
  }
}

let threaded: WasmBackend | null = null;
let worst = 0;

for (const [cell, projSize] of cells) {
  for (const kind of ["lengths", "mask"] as const) {
    test(`packed ${kind} on wasm (1 and 3 threads) match the reference backend: ${cell}${projSize > 0 ? ` projSize ${projSize}` : ""}`, async () => {
      threaded ??= await loadWasmBackend({ threads: 3, minParallelWork: 0 });
      const opts = kind === "lengths" ? { lengths } : { mask };
      const ref = run(referenceBackend, cell, projSize, opts);
      const one = run(createWasmBackend(), cell, projSize, opts);
      const three = run(threaded, cell, projSize, opts);
      ref.forEach((r, i) => {
        assert.equal(one[i]!.length, r.length);
        for (let k = 0; k < r.length; k++) {
          const err = Math.abs(one[i]![k]! - r[k]!) / (1 + Math.abs(r[k]!));
          worst = Math.max(worst, err);
          assert.ok(err <= 1e-5, `array ${i} element ${k}: wasm ${one[i]![k]}, reference ${r[k]}`);
        }
        assert.deepEqual(three[i], one[i], `array ${i}: 3 threads give the 1-thread bits`);
      });
    });
  }
}

/** (T, B, I) one-hot rows, every third row zeros (padding). */
function oneHotInput(): Float32Array {
  const x = new Float32Array(T * B * I);
  for (let r = 0; r < T * B; r++) if (r % 3 !== 2) x[r * I + ((r * 7) % I)] = 1;
  return x;
}

// Without gradients a one-hot input is looked up step by step (only the running rows of each
// step); with them, for every row before the loop. Both add the same terms in the same order.
for (const cell of ["rnn_tanh", "lstm", "gru"]) {
  test(`packed one-hot inference gives the training forward's bits on 1 and 3 threads, near the reference: ${cell}`, async () => {
    threaded ??= await loadWasmBackend({ threads: 3, minParallelWork: 0 });
    const forward = (backend: Backend, grad: boolean): Float32Array[] => {
      const previous = getBackend();
      setBackend(backend);
      try {
        const layer = new RecurrentLayer({ cell, inputSize: I, hiddenSize: H, bidirectional: true });
        const sd = layer.stateDict();
        Object.keys(sd).forEach((k, i) => sd[k]!.data.set(values(sd[k]!.size, 200 + i)));
        const x = new Tensor(oneHotInput(), [T, B, I], grad);
        const run = (): Float32Array[] => {
          const [out, st] = layer.forward(x, null, { lengths });
          return [out.data, st.h.data, st.c?.data ?? new Float32Array(0)];
        };
        return grad ? run() : noGrad(run);
      } finally {
        setBackend(previous);
      }
    };
    const ref = forward(referenceBackend, false);
    const training = forward(createWasmBackend(), true);
    for (const [name, got] of [["1 thread", forward(createWasmBackend(), false)], ["3 threads", forward(threaded, false)]] as const) {
      got.forEach((a, i) => assert.deepEqual(a, training[i], `${name}, array ${i}: inference gives the training forward's bits`));
    }
    ref.forEach((r, i) => {
      for (let k = 0; k < r.length; k++) assert.ok(Math.abs(training[i]![k]! - r[k]!) <= 1e-5 * (1 + Math.abs(r[k]!)), `array ${i} element ${k}`);
    });
  });
}

test("a packed call checks batchSizes and refuses reverse", () => {
  const b = createWasmBackend();
  const args = {
    mode: "gru",
    T: 2,
    B: 2,
    I: 1,
    H: 1,
    P: 1,
    reverse: false,
    x: new Float32Array(3),
    wIh: new Float32Array(3),
    wHh: new Float32Array(3),
    bIh: null,
    bHh: null,
    wHr: null,
    h0: new Float32Array(2),
    c0: null,
    training: false,
    out: new Float32Array(3),
    hN: new Float32Array(2),
    cN: null,
  };
  assert.throws(() => b.recurrentForward({ ...args, batchSizes: Int32Array.from([1, 2]) }), /batchSizes must start at B = 2 and not increase/);
  assert.throws(() => b.recurrentForward({ ...args, batchSizes: Int32Array.from([2, 1]), reverse: true }), /runs forward only/);
  assert.throws(() => b.recurrentForward({ ...args, batchSizes: Int32Array.from([2, 2]) }), /x has 3 floats, expected \(N, I\) = \(4, 1\)/);
  b.recurrentForward({ ...args, batchSizes: Int32Array.from([2, 1]) });
});

after(() => {
  threaded?.dispose();
  console.log(`# packed calls, wasm vs reference: largest |diff| / (1 + |ref|) = ${worst.toExponential(2)}`);
});
