import { test } from "node:test";
import assert from "node:assert/strict";
import { base64 } from "../../src/viz/base64.js";
import { Generator } from "../../src/tensor/random.js";

test("base64 agrees with Node's Buffer for every padding case", () => {
  const g = new Generator(10);
  for (let n = 0; n < 40; n++) {
    const bytes = Uint8Array.from({ length: n }, () => g.randint(0, 256));
    assert.equal(base64(bytes), Buffer.from(bytes).toString("base64"), `n=${n}`);
  }
});
