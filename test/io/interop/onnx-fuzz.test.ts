// A short seeded fuzz run of importOnnx (the long run, 100,000 cases, is
// `node --conditions=source --import tsx fuzz/onnx.ts --cases 100000`): no error but OnnxError,
// no case over 2 s, no result holding more than 4x its input, every message bounded.
import { test } from "node:test";
import { fuzz } from "../../../fuzz/lib.js";
import { checkFuzzReport } from "../../fuzz/check.js";
import { target } from "../../../fuzz/onnx.js";

test("fuzz importOnnx: 3000 seeded cases, random and structure-aware mutations", { timeout: 120_000 }, () => {
  const cases = 3000;
  checkFuzzReport(fuzz(target, { cases, seed: 7 }), cases);
});
