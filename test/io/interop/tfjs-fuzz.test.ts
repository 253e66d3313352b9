// A short seeded fuzz run of the TF.js reader and mapping (the long run, 100,000 cases, is
// `node --conditions=source --import tsx fuzz/tfjs.ts --cases 100000`): no error but
// TfjsFormatError, no case over 2 s, no result holding more than 4x its input, every message bounded.
import { test } from "node:test";
import { fuzz } from "../../../fuzz/lib.js";
import { checkFuzzReport } from "../../fuzz/check.js";
import { target } from "../../../fuzz/tfjs.js";

test("fuzz the TF.js Layers reader: 3000 seeded cases, random and structure-aware mutations", { timeout: 120_000 }, () => {
  const cases = 3000;
  checkFuzzReport(fuzz(target, { cases, seed: 7 }), cases);
});
