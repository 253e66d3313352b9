import { test } from "node:test";
import assert from "node:assert/strict";
import { nextState, statePolicyFor } from "recurrent";

test("the sequential sampler carries the state (detached); the random one starts every batch fresh", () => {
  assert.equal(statePolicyFor("sequential"), "carry");
  assert.equal(statePolicyFor("random"), "reset");
  const fresh = (): string => "zero";
  const detach = (s: string): string => `detached(${s})`;
  assert.equal(nextState("carry", null, fresh, detach), "zero", "an epoch's first batch starts fresh");
  assert.equal(nextState("carry", "h3", fresh, detach), "detached(h3)");
  assert.equal(nextState("reset", "h3", fresh, detach), "zero");
});
