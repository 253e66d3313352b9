// A short seeded fuzz run of the char LM sidecar reader (the long run, 100,000 cases, is
// `node --conditions=source --import tsx fuzz/charlm-sidecar.ts --cases 100000`).
import { test } from "node:test";
import { fuzz } from "../../../fuzz/lib.js";
import { checkFuzzReport } from "../../fuzz/check.js";
import { target } from "../../../fuzz/charlm-sidecar.js";

test("fuzz the charlm.json reader: 2000 seeded cases, random and structure-aware mutations", { timeout: 120_000 }, () => {
  const cases = 2000;
  checkFuzzReport(fuzz(target, { cases, seed: 7 }), cases);
});
