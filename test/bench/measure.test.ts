import { test } from "node:test";
import assert from "node:assert/strict";
import { measure, median } from "../../bench/measure.js";

test("median: odd and even counts, order does not matter", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), /median: needs at least one value/);
});

test("measure: warm-up steps are not timed and maxSteps caps a long window", async () => {
  let calls = 0;
  const m = await measure(() => void calls++, { windowS: 1000, warmup: 2, minSteps: 1, maxSteps: 4 });
  assert.equal(calls, 6);
  assert.equal(m.steps, 4);
  assert.ok((m.peakRssMiB ?? 0) > 0);
  assert.ok(m.cpuShare !== undefined && Number.isFinite(m.cpuShare) && m.cpuShare >= 0);
});

test("measure: minSteps holds when each step outlasts the window; async steps are awaited", async () => {
  let done = 0;
  const step = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    done++;
  };
  const m = await measure(step, { windowS: 0.001, warmup: 0, minSteps: 3, maxSteps: Infinity });
  assert.equal(m.steps, 3);
  assert.equal(done, 3);
  assert.ok(m.medianMs > 0);
});
