// A short seeded fuzz run of the char LM sidecar reader (the long run, 100,000 cases, is
// `node --conditions=source --import tsx fuzz/charlm-sidecar.ts --cases 100000`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzz } from "../../../fuzz/lib.js";
import { target } from "../../../fuzz/charlm-sidecar.js";

test("fuzz the charlm.json reader: 2000 seeded cases, random and structure-aware mutations", { timeout: 120_000 }, () => {
  const cases = 2000;
  const report = fuzz(target, { cases, seed: 7 });
  assert.equal(report.accepted + report.rejected, cases);
  assert.deepEqual(report.findings.slice(0, 3), [], `${report.findings.length} findings`);
  assert.ok(report.slowestMs < 2000, `slowest case ${report.slowestMs} ms`);
  assert.ok(report.largestRatio <= 4, `a result held ${report.largestRatio}x its input`);
  assert.ok(report.accepted > cases / 100, `${report.accepted} inputs accepted`);
  assert.ok(report.rejected > cases / 2, `${report.rejected} inputs rejected`);
});
