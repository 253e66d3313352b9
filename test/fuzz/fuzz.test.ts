// Short seeded fuzz runs of the safetensors parser and the vocabulary JSON loader (the long runs,
// 100,000 cases each, are `node --conditions=source --import tsx fuzz/<name>.ts --cases 100000`).
// No crash other than the documented error types, no case over 2 s, results within 4x the input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzz } from "../../fuzz/lib.js";
import { checkFuzzReport } from "./check.js";
import { target as safetensors } from "../../fuzz/safetensors.js";
import { target as vocabJson } from "../../fuzz/vocab-json.js";

test("fuzz safetensors: 3000 seeded cases", { timeout: 120_000 }, () => {
  checkFuzzReport(fuzz(safetensors, { cases: 3000, seed: 7 }), 3000);
});

test("fuzz vocabulary JSON: 3000 seeded cases", { timeout: 120_000 }, () => {
  checkFuzzReport(fuzz(vocabJson, { cases: 3000, seed: 7 }), 3000);
});

test("the fuzzer finds what it should: an unbounded message and a crash are findings", () => {
  const report = fuzz(
    {
      name: "probe",
      seeds: [new TextEncoder().encode("abc")],
      run: (b) => {
        if (b.length % 3 === 0) throw new Error("x".repeat(10_000));
        if (b.length % 3 === 1) throw new TypeError("boom");
        return b.length;
      },
      expected: (e) => e instanceof Error && e.constructor === Error,
    },
    { cases: 200, seed: 1 },
  );
  const kinds = new Set(report.findings.map((f) => f.kind));
  assert.ok(kinds.has("message") && kinds.has("crash"), [...kinds].join(", "));
});
