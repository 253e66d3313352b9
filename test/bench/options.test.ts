import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_MEASURE } from "../../bench/measure.js";
import { QUICK_WINDOW_S, parseBenchArgs, runnerArgs } from "../../bench/options.js";

test("parseBenchArgs: defaults follow DEFAULT_MEASURE and select everything", () => {
  const o = parseBenchArgs([]);
  assert.deepEqual(o.measure, DEFAULT_MEASURE);
  assert.equal(o.only, null);
  assert.equal(o.peers, null);
  assert.deepEqual(o.threads, []);
  assert.equal(o.backend, null);
  assert.equal(o.json, false);
});

test("parseBenchArgs: --quick shortens the window unless --window is given", () => {
  assert.equal(parseBenchArgs(["--quick"]).measure.windowS, QUICK_WINDOW_S);
  assert.equal(parseBenchArgs(["--quick", "--window", "2.5"]).measure.windowS, 2.5);
});

test("parseBenchArgs: lists, peer groups and thread counts", () => {
  const o = parseBenchArgs(["--only", "W1, W4", "--peers", "tfjs-cpu,torch", "--threads", "1,2", "--backend", "reference", "--json"]);
  assert.deepEqual(o.only, ["W1", "W4"]);
  // Peers come back in table order whatever order they were asked in; "torch" means both rows.
  assert.deepEqual(o.peers, ["torch-1t", "torch-2t", "tfjs-cpu"]);
  assert.deepEqual(o.threads, [1, 2]);
  assert.equal(o.backend, "reference");
  assert.equal(o.json, true);
});

test("parseBenchArgs: bad input names the flag and the value", () => {
  assert.throws(() => parseBenchArgs(["--peers", "jax"]), /--peers names an unknown peer "jax"/);
  assert.throws(() => parseBenchArgs(["--window", "0"]), /--window must be a positive number of seconds, got "0"/);
  assert.throws(() => parseBenchArgs(["--min-steps", "0"]), /--min-steps must be an integer >= 1, got "0"/);
  assert.throws(() => parseBenchArgs(["--threads", "1,x"]), /--threads must be an integer >= 1, got "x"/);
  assert.throws(() => parseBenchArgs(["--only", ","]), /--only expects a comma-separated list/);
  assert.throws(() => parseBenchArgs(["--bogus"]), /bogus/);
});

test("runnerArgs: a runner parsing the forwarded flags gets the same measurement and selection", () => {
  const o = parseBenchArgs(["--window", "3", "--warmup", "4", "--min-steps", "5", "--max-steps", "6", "--only", "W2,W5"]);
  const child = parseBenchArgs(runnerArgs(o));
  assert.deepEqual(child.measure, o.measure);
  assert.deepEqual(child.only, o.only);
  assert.equal(parseBenchArgs(runnerArgs(parseBenchArgs([]))).measure.maxSteps, Infinity);
});
