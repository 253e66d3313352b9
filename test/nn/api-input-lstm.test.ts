// The API-input cases a probe of the recurrent layers found (each used to fail with a raw
// TypeError, to ignore its argument, or to accept a wrong type): each now throws an Error that
// names the layer, the argument, what was expected and what came.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, GRU, zeros } from "recurrent";

function throwsWith(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.ok(!(e instanceof TypeError && e.message.startsWith("Cannot read")), `raw TypeError: ${e.message}`);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

const untyped = (v: unknown): never => v as never;

test("new LSTM() with no options names the layer and says what came", () => {
  throwsWith(() => Reflect.construct(LSTM, []), "LSTM: options must be an object, got undefined");
  throwsWith(() => Reflect.construct(GRU, [null]), "GRU: options must be an object, got null");
});

test('bias: "false" is refused instead of creating biases', () => {
  throwsWith(() => new LSTM(untyped({ inputSize: 2, hiddenSize: 3, bias: "false" })), 'LSTM: option bias must be true or false, got "false"');
  const noBias = new LSTM({ inputSize: 2, hiddenSize: 3, bias: false });
  assert.deepEqual(Object.keys(noBias.stateDict()).sort(), ["weight_hh_l0", "weight_ih_l0"]);
});

test("loadStateDict(null) names the layer and the expected argument", () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3 });
  throwsWith(() => lstm.loadStateDict(untyped(null)), "LSTM(hiddenSize=3).loadStateDict", "expected an object of parameter name -> tensor", "got null");
});

test("forward(x, 5) is refused instead of running from zeros", () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3 });
  throwsWith(() => lstm.forward(zeros([4, 1, 2]), untyped(5)), "LSTM(hiddenSize=3).forward", "the state must be", "got 5");
  throwsWith(() => lstm.forward(zeros([4, 1, 2]), untyped(zeros([1, 1, 3]))), "LSTM(hiddenSize=3).forward");
});

test("zeros([-1]) is a named error, not a raw RangeError from the allocator", () => {
  throwsWith(() => zeros([-1]), "zeros: shape must hold non-negative integers, got -1 at dim 0 of [-1]");
});
