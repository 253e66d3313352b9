import { test } from "node:test";
import assert from "node:assert/strict";
import { failureReason, runnerCommand, type RunnerExit } from "../../bench/runners.js";

const exit = (stderrTail: string[], code: number | null = 1): RunnerExit => ({ code, signal: null, stderrTail, timedOut: false });

test("failureReason: a missing export of recurrent reads as a skipped ours", () => {
  const why = failureReason("ours", exit(["file:///work/main/bench/ours.ts:8", "SyntaxError: The requested module 'recurrent' does not provide an export named 'GRU'", "    at ModuleJob._instantiate"]));
  assert.match(why, /^importing "recurrent" failed, so ours is skipped .*does not provide an export named 'GRU'$/);
});

test("failureReason: other failures give the exit status and the last stderr lines", () => {
  assert.equal(failureReason("tfjs-wasm", exit(["", "Error: boom"], 1)), "exited with code 1: Error: boom");
  assert.equal(failureReason("torch-1t", { ...exit([]), timedOut: true }), "timed out and was stopped");
});

test("runnerCommand: torch rows pin OpenMP threads to the torch thread count", () => {
  for (const [name, n] of [["torch-1t", "1"], ["torch-2t", "2"]] as const) {
    const cmd = runnerCommand(name, ["--window", "1"], null);
    assert.deepEqual(cmd.env, { OMP_NUM_THREADS: n, OMP_WAIT_POLICY: "PASSIVE" });
    assert.deepEqual(cmd.args.slice(1), ["--threads", n, "--window", "1"]);
  }
  assert.deepEqual(runnerCommand("tfjs-cpu", [], null).args.slice(-2), ["--backend", "cpu"]);
  assert.deepEqual(runnerCommand("ours", [], "reference").args.slice(-4), ["--backend", "reference", "--threads", "1"]);
  assert.deepEqual(runnerCommand("ours-2t", [], "wasm").args.slice(-4), ["--backend", "wasm", "--threads", "2"]);
});
