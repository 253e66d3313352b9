import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLine } from "../../bench/result.js";

test("parseLine: results, metas and skips; extra fields kept when typed right", () => {
  assert.deepEqual(parseLine('{"peer":"torch-1t","workload":"W1","metric":"tokens/s","value":12.5,"higherIsBetter":true,"steps":4,"medianMs":"x"}'), {
    kind: "result",
    result: { peer: "torch-1t", workload: "W1", metric: "tokens/s", value: 12.5, higherIsBetter: true, steps: 4 },
  });
  assert.deepEqual(parseLine('{"peer":"tfjs-wasm","meta":{"tfjs":"4.22.0","threads":1}}'), { kind: "meta", meta: { peer: "tfjs-wasm", meta: { tfjs: "4.22.0", threads: "1" } } });
  assert.deepEqual(parseLine('{"peer":"ours","workload":"W5","error":"boom"}'), { kind: "skip", skip: { peer: "ours", workload: "W5", error: "boom" } });
});

test("parseLine: library chatter and malformed lines are ignored", () => {
  assert.equal(parseLine("Hi, looks like you are running TensorFlow.js in Node.js."), null);
  assert.equal(parseLine("{not json"), null);
  assert.equal(parseLine('{"workload":"W1"}'), null);
  assert.equal(parseLine('{"peer":"ours","workload":"W1","metric":"tokens/s","value":"fast","higherIsBetter":true}'), null);
});
