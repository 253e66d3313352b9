// A short seeded fuzz run of the Keras readers, one per format (the long run, 100,000 cases each,
// is `node --conditions=source --import tsx fuzz/keras.ts --cases 100000`): no error but
// KerasFormatError, no case over 2 s, no result holding more than 4x its input, every message bounded.
import { test } from "node:test";
import { fuzz } from "../../../../fuzz/lib.js";
import { checkFuzzReport } from "../../../fuzz/check.js";
import { kerasTarget, h5Target } from "../../../../fuzz/keras.js";

test("fuzz the .keras reader: 1500 seeded cases, random and structure-aware mutations", { timeout: 120_000 }, () => {
  const cases = 1500;
  checkFuzzReport(fuzz(kerasTarget, { cases, seed: 7 }), cases);
});

test("fuzz the .h5 reader: 1500 seeded cases, random and structure-aware mutations", { timeout: 120_000 }, () => {
  const cases = 1500;
  checkFuzzReport(fuzz(h5Target, { cases, seed: 7 }), cases);
});
