// A short seeded fuzz run of the PyTorch readers (the long run, 100,000 cases, is
// `node --conditions=source --import tsx fuzz/pickle.ts --cases 100000`): no error but
// PyTorchFormatError, no case over 2 s, results within 4x the input.
import { test } from "node:test";
import { fuzz } from "../../../fuzz/lib.js";
import { checkFuzzReport } from "../../fuzz/check.js";
import { target } from "../../../fuzz/pickle.js";

test("fuzz torch.save / pickle reader: 3000 seeded cases", { timeout: 180_000 }, () => {
  const cases = 3000;
  checkFuzzReport(fuzz(target, { cases, seed: 7 }), cases);
});
