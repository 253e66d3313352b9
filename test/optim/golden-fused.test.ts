// The PyTorch goldens of golden.test.ts, unchanged, through the wasm backend's fused optimiser
// kernels: the backend is installed before that file registers its tests (imports evaluate in order).
import "./helpers/counting-wasm.js";
import "./golden.test.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { calls } from "./helpers/counting-wasm.js";

test("the goldens above ran through the fused SGD, Adam and RMSprop kernels", () => {
  assert.ok(calls.sgd > 0, "SGD");
  assert.ok(calls.adam > 0, "Adam");
  assert.ok(calls.rmsprop > 0, "RMSprop");
});
