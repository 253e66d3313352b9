// The playground's gate tracer feeds the char LM's input encoding (one-hot or embedding) to the
// library's traceGates; its last hidden state must be the state the model's own forward returns,
// for every cell the char LM offers (the peephole and layer-norm LSTMs show i, f, g, o, c, h).
import { test } from "node:test";
import assert from "node:assert/strict";
import { RNNLM, Vocab, manualSeed, noGrad } from "../../src/index.js";
import { traceGates, TRACE_NAMES } from "../../apps/playground/src/inside/gates.js";

const text = "the time traveller";
const vocab = new Vocab([...text]);

for (const cell of ["lstm", "gru", "rnn", "peephole_lstm", "layernorm_lstm"] as const) {
  for (const embedSize of [0, 5]) {
    test(`traceGates (${cell}, embedSize ${embedSize}): the last h is the layer's final state, c too for the LSTMs`, () => {
      manualSeed(3);
      const model = new RNNLM({ vocabSize: vocab.length, cell, hiddenSize: 6, embedSize });
      const trace = traceGates(model, vocab, text);
      assert.deepEqual(trace.traces.map((t) => t.name), TRACE_NAMES[cell]);
      if (cell !== "gru" && cell !== "rnn") assert.deepEqual(TRACE_NAMES[cell], ["i", "f", "g", "o", "c", "h"]);
      const ids = Int32Array.from([...text], (ch) => vocab.indexOf(ch));
      const [, state] = noGrad(() => model.forward(ids, [1, ids.length]));
      const T = ids.length;
      const last = (name: string): number[] => Array.from(trace.traces.find((t) => t.name === name)!.values.subarray((T - 1) * 6, T * 6));
      const close = (a: number[], b: ArrayLike<number>, what: string): void => a.forEach((v, j) => assert.ok(Math.abs(v - b[j]!) < 1e-5, `${what}[${j}]: ${v} vs ${b[j]}`));
      close(last("h"), state.h.data, "h");
      if (cell !== "gru" && cell !== "rnn") close(last("c"), state.c!.data, "c");
      for (const t of trace.traces) if (t.name !== "c" && t.name !== "h") assert.ok(t.values.every((v) => v >= -1 && v <= 1), `${t.name} is a gate in [-1, 1]`);
    });
  }
}

test("traceGates refuses an empty or overlong text with a message", () => {
  const model = new RNNLM({ vocabSize: vocab.length, cell: "lstm", hiddenSize: 4 });
  assert.throws(() => traceGates(model, vocab, ""), /traceGates: type some text first/);
  assert.throws(() => traceGates(model, vocab, "x".repeat(401)), /traceGates: text must be at most 400 characters, got 401/);
});
