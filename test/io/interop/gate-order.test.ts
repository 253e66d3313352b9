import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GATE_FORMATS,
  GATE_LABELS,
  GATE_ORDERS,
  gatePermutation,
  isGateCell,
  permuteGateColumns,
  permuteGateRows,
  type GateCell,
} from "../../../src/io/interop/gate-order.js";

const CELLS: GateCell[] = ["lstm", "gru", "rnn_tanh", "rnn_relu"];

test("the table spells each format's documented order", () => {
  for (const cell of CELLS) {
    for (const f of GATE_FORMATS) {
      // The labels differ only where a format renames a gate (g -> c, n -> h).
      const rename: Record<string, string> = f === "pytorch" ? {} : { g: "c", n: "h" };
      assert.equal(GATE_ORDERS[cell][f].map((g) => rename[g] ?? g).join("|"), GATE_LABELS[cell][f], `${cell} ${f}`);
    }
  }
  assert.equal(GATE_LABELS.lstm.onnx, "i|o|f|c");
  assert.equal(GATE_LABELS.gru.keras, "z|r|h");
  assert.ok(isGateCell("gru") && !isGateCell("toString") && !isGateCell("peephole_lstm"));
});

test("LSTM PyTorch -> ONNX moves rows i|f|g|o to i|o|f|g (H = 1, cols = 2)", () => {
  // Rows: i = [1, 2], f = [3, 4], g = [5, 6], o = [7, 8].
  const w = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(gatePermutation("lstm", "pytorch", "onnx"), [0, 3, 1, 2]);
  assert.deepEqual([...permuteGateRows("lstm", "pytorch", "onnx", w, 4, 2)], [1, 2, 7, 8, 3, 4, 5, 6]);
  assert.deepEqual([...permuteGateRows("lstm", "pytorch", "keras", w, 4, 2)], [...w]);
  assert.deepEqual([...w], [1, 2, 3, 4, 5, 6, 7, 8], "the input is not changed");
});

test("GRU PyTorch -> ONNX swaps the r and z blocks (H = 2, a bias)", () => {
  const b = Float32Array.from([10, 11, 20, 21, 30, 31]); // r | z | n
  assert.deepEqual([...permuteGateRows("gru", "pytorch", "onnx", b, 6, 1)], [20, 21, 10, 11, 30, 31]);
});

test("Keras kernels permute column blocks: (2, G) LSTM with H = 1", () => {
  const k = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // rows [i f c o]
  assert.deepEqual([...permuteGateColumns("lstm", "keras", "onnx", k, 2, 4)], [1, 4, 2, 3, 5, 8, 6, 7]);
  const g = Float32Array.from([1, 2, 3, 4, 5, 6]); // one row, z|r|h with H = 2
  assert.deepEqual([...permuteGateColumns("gru", "keras", "pytorch", g, 1, 6)], [3, 4, 1, 2, 5, 6]);
});

test("every pair of formats round-trips, rows and columns", () => {
  for (const cell of CELLS) {
    const gates = GATE_ORDERS[cell].pytorch.length;
    const rows = gates * 3;
    const data = Float32Array.from({ length: rows * 2 }, (_, i) => i);
    for (const a of GATE_FORMATS) {
      for (const b of GATE_FORMATS) {
        const there = permuteGateRows(cell, a, b, data, rows, 2);
        assert.deepEqual([...permuteGateRows(cell, b, a, there, rows, 2)], [...data], `${cell} rows ${a} -> ${b} -> ${a}`);
        const cols = permuteGateColumns(cell, a, b, data, 2, rows);
        assert.deepEqual([...permuteGateColumns(cell, b, a, cols, 2, rows)], [...data], `${cell} columns ${a} -> ${b} -> ${a}`);
      }
    }
  }
  // Keras -> ONNX for LSTM equals Keras -> PyTorch -> ONNX.
  const w = Float32Array.from({ length: 8 }, (_, i) => i);
  const direct = permuteGateRows("lstm", "keras", "onnx", w, 8, 1);
  const via = permuteGateRows("lstm", "pytorch", "onnx", permuteGateRows("lstm", "keras", "pytorch", w, 8, 1), 8, 1);
  assert.deepEqual([...direct], [...via]);
});

test("sizes that do not split into gate blocks are refused with the sizes named", () => {
  assert.throws(() => permuteGateRows("lstm", "pytorch", "onnx", new Float32Array(6), 6, 1), /rows = 6 must be a multiple of the lstm cell's 4 gates/);
  assert.throws(() => permuteGateRows("gru", "pytorch", "onnx", new Float32Array(5), 3, 2), /data has 5 values but the shape needs 3 x 2 = 6/);
  assert.throws(() => permuteGateColumns("gru", "keras", "onnx", new Float32Array(4), 1, 4), /columns = 4 must be a multiple of the gru cell's 3 gates/);
});
