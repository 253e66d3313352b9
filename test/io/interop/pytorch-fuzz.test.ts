// A short seeded fuzz run of the PyTorch readers (the long run, 100,000 cases, is
// `node --conditions=source --import tsx fuzz/pickle.ts --cases 100000`): no error but
// PyTorchFormatError, no case over 2 s, results within 4x the input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzz } from "../../../fuzz/lib.js";
import { target } from "../../../fuzz/pickle.js";

test("fuzz torch.save / pickle reader: 3000 seeded cases", { timeout: 180_000 }, () => {
  const cases = 3000;
  const report = fuzz(target, { cases, seed: 7 });
  assert.equal(report.accepted + report.rejected, cases);
  assert.deepEqual(report.findings.slice(0, 3), [], `${report.findings.length} findings`);
  assert.ok(report.slowestMs < 2000, `slowest case ${report.slowestMs} ms`);
  assert.ok(report.largestRatio <= 4, `a result held ${report.largestRatio}x its input`);
  // The mutations must reach both outcomes, or the run tests nothing.
  assert.ok(report.accepted > cases / 100, `${report.accepted} inputs accepted`);
  assert.ok(report.rejected > cases / 2, `${report.rejected} inputs rejected`);
});
