"""Generates test/fixtures/charlm/rnnlm.json: d2l's RNNModel (PyTorch edition) on a fixed batch, for test/tasks/charlm/parity.test.ts.

The model is the book's `RNNModel` (one-hot inputs of X.T, a recurrent layer, a Linear layer on
every step), the loss is `loss(y_hat, Y.T.reshape(-1)).mean()`, as in `train_epoch_ch8`. Two
consecutive batches are run, the second from the first's state detached (truncated BPTT).

Run: /usr/bin/python3 tools/gen_rnnlm_fixtures.py
"""
import json
import os

import torch
from torch import nn
from torch.nn import functional as F


class RNNModel(nn.Module):
    """d2l.RNNModel, with the book's begin_state."""

    def __init__(self, rnn_layer, vocab_size):
        super().__init__()
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        self.num_directions = 2 if self.rnn.bidirectional else 1
        self.linear = nn.Linear(self.num_hiddens * self.num_directions, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size).to(torch.float32)
        Y, state = self.rnn(X, state)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, batch_size=1):
        shape = (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens)
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros(shape)
        return (torch.zeros(shape), torch.zeros(shape))


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def case(name, cell, hidden, layers, bidirectional, seed):
    torch.manual_seed(seed)
    V, B, T = 6, 3, 5
    layer = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[cell](V, hidden, num_layers=layers, bidirectional=bidirectional)
    net = RNNModel(layer, V)
    weights = {k: flat(v) for k, v in net.state_dict().items()}
    X1 = torch.randint(0, V, (B, T))
    Y1 = torch.randint(0, V, (B, T))
    X2 = torch.randint(0, V, (B, T))
    Y2 = torch.randint(0, V, (B, T))
    loss = nn.CrossEntropyLoss()

    state = net.begin_state(B)
    y_hat1, state = net(X1, state)
    l1 = loss(y_hat1, Y1.T.reshape(-1).long()).mean()
    net.zero_grad()
    l1.backward()
    grads1 = {k: flat(p.grad) for k, p in net.named_parameters()}

    state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
    y_hat2, state = net(X2, state)
    l2 = loss(y_hat2, Y2.T.reshape(-1).long()).mean()
    hN = state[0] if isinstance(state, tuple) else state
    return {
        "name": name,
        "cell": cell,
        "hiddenSize": hidden,
        "numLayers": layers,
        "bidirectional": bidirectional,
        "vocabSize": V,
        "batchSize": B,
        "numSteps": T,
        "weights": weights,
        "x1": X1.reshape(-1).tolist(),
        "y1": Y1.reshape(-1).tolist(),
        "x2": X2.reshape(-1).tolist(),
        "y2": Y2.reshape(-1).tolist(),
        "logits1": flat(y_hat1),
        "loss1": float(l1),
        "grads1": grads1,
        "loss2": float(l2),
        "h2": flat(hN),
    }


cases = [
    case("rnn", "rnn", 4, 1, False, 1),
    case("gru", "gru", 4, 1, False, 2),
    case("lstm", "lstm", 4, 1, False, 3),
    case("lstm-2layer-bidirectional", "lstm", 3, 2, True, 4),
]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "charlm", "rnnlm.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/gen_rnnlm_fixtures.py", "torch": torch.__version__, "cases": cases}, f)
print("wrote", out)
