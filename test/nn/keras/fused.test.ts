// The Keras layers run on the fused kernels: default options, input dropout, masks, lengths,
// goBackwards, stateful calls and Bidirectional give no "runs on the generic path" notice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { layers, setCellLog, Masking, randn, manualSeed, Tensor } from "recurrent";

test("Keras layers with common options take the fused path (no generic-path notice)", () => {
  const notices: string[] = [];
  const previous = setCellLog((m) => notices.push(m));
  try {
    manualSeed(1);
    const x = randn([3, 5, 2]);
    const masked = new Masking({ maskValue: 0 }).forward(new Tensor(x.data.map((v, i) => (i % 10 < 4 ? 0 : v)), [3, 5, 2]));
    for (const make of [layers.simpleRNN, layers.lstm, layers.gru]) {
      const l = make({ units: 4, dropout: 0.2, returnSequences: true, seed: 3 });
      l.forward(x);
      l.forward(masked);
      l.forward(x, null, { lengths: [5, 2, 3] });
      make({ units: 4, goBackwards: true }).forward(masked);
      const s = make({ units: 4, stateful: true });
      s.forward(x);
      s.forward(x);
      layers.bidirectional(make({ units: 4, returnSequences: true })).forward(masked);
      const y = layers.bidirectional(make({ units: 4 })).forward(x) as Tensor;
      y.sum().backward();
    }
  } finally {
    setCellLog(previous);
  }
  assert.deepEqual(notices, []);
});
