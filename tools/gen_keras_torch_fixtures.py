"""Golden fixtures for what TF.js's layers do not implement, computed with PyTorch:

- Keras's GRU with reset_after=True (the Keras 2+ default): PyTorch's nn.GRU computes the same
  function (the reset gate multiplies W_hn h + b_hn, two bias vectors);
- Keras 3's hard sigmoid relu6(x + 3) / 6 as recurrent_activation: PyTorch's F.hardsigmoid is
  that function; an LSTM and a GRU (reset_after=True) are written step by step with it, in
  Keras's layout and equations.

The files say which. Run:

    /usr/bin/python3 tools/gen_keras_torch_fixtures.py

Writes test/fixtures/keras-layers/torch_<name>.json (+ torch_index.json) in the format of
tools/gen_keras_layer_fixtures.ts: weights in Keras's layout (kernel (I, 3H) and
recurrent_kernel (H, 3H) in Keras's gate order z|r|h, bias (2, 3H) = [input bias; recurrent
bias]), outputs in Keras's return order, loss weights, and the gradients of
loss = sum_k sum(output_k * w_k) with respect to the input and each Keras weight. goBackwards is
the sequence flipped in time before the GRU (Keras's definition: the output sequence stays in
the order read); a bidirectional case runs nn.GRU(bidirectional=True) (Keras's Bidirectional
without masks: the backward direction's outputs flipped back into time order)."""

from __future__ import annotations

import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_json import seed_for, tensor_json, write_json  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "keras-layers"

# PyTorch gate order r|z|n -> Keras z|r|h: Keras block k is PyTorch block PERM[k].
PERM = [1, 0, 2]


def keras_kernel(w: torch.Tensor, H: int) -> torch.Tensor:
    """PyTorch (3H, n) -> Keras (n, 3H) in z|r|h order."""
    return torch.cat([w[p * H:(p + 1) * H] for p in PERM], 0).t().contiguous()


def keras_bias(b: torch.Tensor, H: int) -> torch.Tensor:
    return torch.cat([b[p * H:(p + 1) * H] for p in PERM], 0)


CASES = [
    {"name": "gru_reset_after_seq", "returnSequences": True},
    {"name": "gru_reset_after_last_state", "returnState": True},
    {"name": "gru_reset_after_backwards_seq_state", "returnSequences": True, "returnState": True, "goBackwards": True},
    {"name": "gru_reset_after_nobias_seq", "returnSequences": True, "useBias": False},
    {"name": "gru_reset_after_bi_concat_seq", "returnSequences": True, "merge": "concat"},
]


def keras3_lstm(x, kernel, recurrent, bias, H):
    """Keras's LSTM with recurrent_activation = Keras 3's hard sigmoid; gates i|f|c|o."""
    B, T, _ = x.shape
    h = torch.zeros(B, H)
    c = torch.zeros(B, H)
    outs = []
    for t in range(T):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f, g, o = z[:, :H], z[:, H:2 * H], z[:, 2 * H:3 * H], z[:, 3 * H:]
        c = F.hardsigmoid(f) * c + F.hardsigmoid(i) * torch.tanh(g)
        h = F.hardsigmoid(o) * torch.tanh(c)
        outs.append(h)
    return torch.stack(outs, 1), h, c


def keras3_gru(x, kernel, recurrent, bias, H):
    """Keras's GRU (reset_after=True) with recurrent_activation = Keras 3's hard sigmoid; gates z|r|h."""
    B, T, _ = x.shape
    h = torch.zeros(B, H)
    outs = []
    for t in range(T):
        xz = x[:, t] @ kernel + bias[0]
        hz = h @ recurrent + bias[1]
        z = F.hardsigmoid(xz[:, :H] + hz[:, :H])
        r = F.hardsigmoid(xz[:, H:2 * H] + hz[:, H:2 * H])
        n = torch.tanh(xz[:, 2 * H:] + r * hz[:, 2 * H:])
        h = z * h + (1 - z) * n
        outs.append(h)
    return torch.stack(outs, 1), h


def keras3_fixture(name: str, cell: str) -> dict:
    torch.manual_seed(seed_for(name))
    B, T, I, H = 3, 4, 3, 4
    G = (4 if cell == "lstm" else 3) * H
    kernel = ((torch.rand(I, G) * 2 - 1) * 2).requires_grad_(True)
    recurrent = ((torch.rand(H, G) * 2 - 1) * 2).requires_grad_(True)
    bias = (torch.rand(G) * 2 - 1 if cell == "lstm" else torch.rand(2, G) * 2 - 1).requires_grad_(True)
    x = (torch.rand(B, T, I) * 2 - 1).requires_grad_(True)
    if cell == "lstm":
        seq, h, c = keras3_lstm(x, kernel, recurrent, bias, H)
        outs = [seq, h, c]
    else:
        seq, h = keras3_gru(x, kernel, recurrent, bias, H)
        outs = [seq, h]
    weights = [torch.rand(o.shape) * 2 - 1 for o in outs]
    sum((o * w).sum() for o, w in zip(outs, weights)).backward()
    options = {
        "units": H,
        "activation": "tanh",
        "recurrentActivation": "hardSigmoidKeras3",
        "useBias": True,
        "returnSequences": True,
        "returnState": True,
        "goBackwards": False,
        "stateful": False,
    }
    if cell == "gru":
        options["resetAfter"] = True
    return {
        "name": "torch_" + name,
        "source": "Keras's %s equations written with PyTorch ops (torch %s); F.hardsigmoid is Keras 3's hard sigmoid, which TF.js lacks" % (cell.upper(), torch.__version__),
        "cell": cell,
        "options": options,
        "merge": None,
        "input": "float",
        "sizes": {"B": B, "T": T, "I": I, "H": H},
        "keep": None,
        "embedding": None,
        "x": tensor_json(x.detach()),
        "weights": [[tensor_json(kernel.detach()), tensor_json(recurrent.detach()), tensor_json(bias.detach())]],
        "outputs": [tensor_json(o.detach()) for o in outs],
        "lossWeights": [tensor_json(w) for w in weights],
        "grads": {"weights": [[tensor_json(kernel.grad), tensor_json(recurrent.grad), tensor_json(bias.grad)]], "x": tensor_json(x.grad)},
        "second": None,
    }


def fixture(c: dict) -> dict:
    torch.manual_seed(seed_for(c["name"]))
    B, T, I, H = 3, 4, 3, 4
    use_bias = c.get("useBias", True)
    bi = c.get("merge") is not None
    gru = torch.nn.GRU(I, H, batch_first=True, bias=use_bias, bidirectional=bi)
    with torch.no_grad():
        for p in gru.parameters():
            p.uniform_(-0.7, 0.7)
    x = (torch.rand(B, T, I) * 2 - 1).requires_grad_(True)
    inp = torch.flip(x, [1]) if c.get("goBackwards", False) else x
    seq, hn = gru(inp)
    outs = [seq if c.get("returnSequences", False) else hn[0]]
    if c.get("returnState", False):
        outs += [hn[0]] if not bi else [hn[0], hn[1]]
    weights = [torch.rand(o.shape) * 2 - 1 for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, weights))
    loss.backward()
    dirs = ["_l0"] + (["_l0_reverse"] if bi else [])
    keras_w, keras_g = [], []
    for sfx in dirs:
        w_ih, w_hh = getattr(gru, "weight_ih" + sfx), getattr(gru, "weight_hh" + sfx)
        ws = [keras_kernel(w_ih.detach(), H), keras_kernel(w_hh.detach(), H)]
        gs = [keras_kernel(w_ih.grad, H), keras_kernel(w_hh.grad, H)]
        if use_bias:
            b_ih, b_hh = getattr(gru, "bias_ih" + sfx), getattr(gru, "bias_hh" + sfx)
            ws.append(torch.stack([keras_bias(b_ih.detach(), H), keras_bias(b_hh.detach(), H)]))
            gs.append(torch.stack([keras_bias(b_ih.grad, H), keras_bias(b_hh.grad, H)]))
        keras_w.append([tensor_json(t) for t in ws])
        keras_g.append([tensor_json(t) for t in gs])
    options = {
        "units": H,
        "activation": "tanh",
        "recurrentActivation": "sigmoid",
        "useBias": use_bias,
        "returnSequences": c.get("returnSequences", False),
        "returnState": c.get("returnState", False),
        "goBackwards": c.get("goBackwards", False),
        "stateful": False,
        "resetAfter": True,
    }
    return {
        "name": "torch_" + c["name"],
        "source": "PyTorch nn.GRU (torch %s), which computes Keras's GRU with reset_after=True; TF.js has no reset_after" % torch.__version__,
        "cell": "gru",
        "options": options,
        "merge": c.get("merge"),
        "input": "float",
        "sizes": {"B": B, "T": T, "I": I, "H": H},
        "keep": None,
        "embedding": None,
        "x": tensor_json(x.detach()),
        "weights": keras_w,
        "outputs": [tensor_json(o.detach()) for o in outs],
        "lossWeights": [tensor_json(w) for w in weights],
        "grads": {"weights": keras_g, "x": tensor_json(x.grad)},
        "second": None,
    }


def main() -> None:
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("torch_*.json"):
        old.unlink()
    names = []
    made = [fixture(c) for c in CASES] + [keras3_fixture("lstm_hard_sigmoid_keras3", "lstm"), keras3_fixture("gru_hard_sigmoid_keras3", "gru")]
    for f in made:
        write_json(OUT / (f["name"] + ".json"), f)
        names.append(f["name"])
    write_json(OUT / "torch_index.json", names)
    print("wrote %d fixtures to %s" % (len(names), OUT))


if __name__ == "__main__":
    main()
