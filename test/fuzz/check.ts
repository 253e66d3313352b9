/** The checks every fuzz test makes on a seeded short run's report. */
import assert from "node:assert/strict";
import type { FuzzReport } from "../../fuzz/lib.js";

/** No findings, no case over 2 s, results within 4x their input, and both outcomes reached (or the run tests nothing). */
export function checkFuzzReport(report: FuzzReport, cases: number): void {
  assert.equal(report.accepted + report.rejected, cases);
  assert.deepEqual(report.findings.slice(0, 3), [], `${report.findings.length} findings`);
  assert.ok(report.slowestMs < 2000, `slowest case ${report.slowestMs} ms`);
  assert.ok(report.largestRatio <= 4, `a result held ${report.largestRatio}x its input`);
  assert.ok(report.accepted > cases / 100, `${report.accepted} inputs accepted`);
  assert.ok(report.rejected > cases / 2, `${report.rejected} inputs rejected`);
}
