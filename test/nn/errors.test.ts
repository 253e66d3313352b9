// Bad input gets an error that names the layer, the argument, what was expected and what came.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, GRU, RNN, LSTMCell, Linear, Highway, Embedding, Dropout, tensor, zeros, Tensor } from "recurrent";

function throwsWith(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    for (const p of parts) {
      if (typeof p === "string") assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
      else assert.match(e.message, p);
    }
    return true;
  });
}

test("wrong input size names the layer, the layout and the expected size", () => {
  const lstm = new LSTM({ inputSize: 28, hiddenSize: 256 });
  throwsWith(() => lstm.forward(zeros([35, 32, 27])), "LSTM(hiddenSize=256).forward", "(T, B, I) = (35, 32, 27)", "I must be 28");
});

test("wrong input rank", () => {
  const gru = new GRU({ inputSize: 4, hiddenSize: 3, batchFirst: true });
  throwsWith(() => gru.forward(zeros([2, 3, 4, 5])), "GRU(hiddenSize=3).forward", "(B, T, I)", "[2, 3, 4, 5]");
});

test("mismatched state shapes", () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2 });
  const x = zeros([4, 5, 2]);
  throwsWith(() => lstm.forward(x, [zeros([1, 5, 3]), zeros([2, 5, 3])]), "h0 must have shape [2, 5, 3]", "got [1, 5, 3]");
  throwsWith(() => lstm.forward(x, [zeros([2, 5, 3]), zeros([2, 4, 3])]), "c0 must have shape [2, 5, 3]", "got [2, 4, 3]");
  const rnn = new RNN({ inputSize: 2, hiddenSize: 3, bidirectional: true });
  throwsWith(() => rnn.forward(x, zeros([1, 5, 3])), "RNN(hiddenSize=3).forward", "h0 must have shape [2, 5, 3]");
});

test("non-finite values in inputs and states", () => {
  const rnn = new RNN({ inputSize: 2, hiddenSize: 3 });
  const x = zeros([2, 1, 2]);
  x.data[3] = NaN;
  throwsWith(() => rnn.forward(x), "RNN(hiddenSize=3).forward", "input holds a non-finite value (NaN) at flat index 3");
  const h0 = zeros([1, 1, 3]);
  h0.data[0] = Infinity;
  throwsWith(() => rnn.forward(zeros([2, 1, 2]), h0), "h0 holds a non-finite value (Infinity)");
  const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
  throwsWith(() => cell.forward(tensor([NaN, 0])), "LSTMCell(hiddenSize=3).forward", "input holds a non-finite value");
});

test("invalid options", () => {
  throwsWith(() => new LSTM({ inputSize: 3, hiddenSize: 0 }), "LSTM: option hiddenSize must be a positive integer, got 0");
  throwsWith(() => new GRU({ inputSize: 2.5, hiddenSize: 3 }), "GRU: option inputSize must be a positive integer, got 2.5");
  throwsWith(() => new RNN({ inputSize: 3, hiddenSize: 4, dropout: 1 }), "RNN: option dropout must be a finite number >= 0 and < 1, got 1");
  throwsWith(() => new RNN({ inputSize: 3, hiddenSize: 4, dropout: -0.1 }), "option dropout must be a finite number >= 0 and < 1, got -0.1");
  throwsWith(() => new LSTM({ inputSize: 3, hiddenSize: 4, projSize: 4 }), "LSTM: projSize must be smaller than hiddenSize (4), got 4");
  throwsWith(() => new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 0 }), "option numLayers must be a positive integer, got 0");
  throwsWith(() => new RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: "sigmoid" as "tanh" }), 'option nonlinearity must be one of "tanh", "relu", got "sigmoid"');
  throwsWith(() => new Linear({ inFeatures: 0, outFeatures: 2 }), "Linear: inFeatures must be a positive integer, got 0");
  throwsWith(() => new Highway({ size: 4, activation: "gelu" as "relu" }), "Highway: activation must be one of relu, tanh, sigmoid");
  throwsWith(() => new Dropout(1.5), "Dropout: p must be in [0, 1), got 1.5");
});

test("loadStateDict rejects wrong names and shapes", () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3 });
  const dict = lstm.stateDict();
  const wrongShape: Record<string, Tensor> = { ...dict, weight_hh_l0: zeros([12, 4]) };
  throwsWith(() => lstm.loadStateDict(wrongShape), "LSTM(hiddenSize=3).loadStateDict", "weight_hh_l0 has shape [12, 4] but the module expects [12, 3]");
  const { bias_hh_l0: _dropped, ...missing } = dict;
  throwsWith(() => lstm.loadStateDict(missing), "parameter names do not match", "missing bias_hh_l0");
  throwsWith(() => lstm.loadStateDict({ ...dict, weight_ih_l1: zeros([12, 3]) }), "unexpected weight_ih_l1");
});

test("other layers and ops", () => {
  throwsWith(() => new Linear({ inFeatures: 3, outFeatures: 2 }).forward(zeros([4, 5])), "Linear(inFeatures=3, outFeatures=2).forward", "[4, 5] must end in 3");
  throwsWith(() => new Embedding({ numEmbeddings: 5, embeddingDim: 2 }).forward([1, 7]), "Embedding(numEmbeddings=5, embeddingDim=2).forward", "index 7 at position 1 is outside [0, 5)");
  throwsWith(() => zeros([2, 3]).matmul(zeros([4, 2])), "matmul: inner sizes differ");
  throwsWith(() => zeros([2, 3]).add(zeros([4, 3])), "add: shapes [2, 3] and [4, 3] cannot be broadcast together");
  throwsWith(() => zeros([2, 3]).reshape([4, 2]), "reshape: cannot reshape [2, 3] (6 elements) into [4, 2]");
  throwsWith(() => zeros([2, 3]).backward(), "backward: this tensor does not require grad");
  throwsWith(() => tensor([1, 2], [3]), "tensor: 2 values do not fill shape [3]");
});
