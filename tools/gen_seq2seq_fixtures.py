#!/usr/bin/python3
"""Golden fixtures for additive (Bahdanau) attention, computed with PyTorch.

Writes test/fixtures/seq2seq/attention.json. Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_seq2seq_fixtures.py

The module is d2l's `AdditiveAttention` (W_q, W_k, w_v bias-free linear maps, tanh, a softmax
whose scores past each row's valid length are set to -1e6), written here with torch ops. Each
case holds the three weight matrices, queries, keys, values, valid lengths (or null), the
attention weights, the output, the random weights w of loss = sum(output * w), and the gradients
of that loss with respect to the inputs and the weights. The padded keys and values hold random
numbers: a layer that read them would differ. Each case seeds torch from a checksum of its name.
"""

from __future__ import annotations

from pathlib import Path

import torch

from fixture_json import seed_for, tensor_json, write_json

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "seq2seq" / "attention.json"

CASES = [
    # name, B, Q, K, Dq, Dk, Dv, h, valid lengths
    ("masked", 2, 3, 5, 4, 6, 3, 7, [2, 5]),
    ("unmasked", 3, 1, 4, 5, 5, 2, 4, None),
    ("one_key", 2, 2, 3, 3, 3, 4, 5, [1, 3]),
]


def case(name: str, B: int, Q: int, K: int, dq: int, dk: int, dv: int, h: int, lens: list[int] | None) -> dict:
    torch.manual_seed(seed_for(name))
    w_q = torch.randn(h, dq, dtype=torch.float64, requires_grad=True)
    w_k = torch.randn(h, dk, dtype=torch.float64, requires_grad=True)
    w_v = torch.randn(1, h, dtype=torch.float64, requires_grad=True)
    q = torch.randn(B, Q, dq, dtype=torch.float64, requires_grad=True)
    k = torch.randn(B, K, dk, dtype=torch.float64, requires_grad=True)
    v = torch.randn(B, K, dv, dtype=torch.float64, requires_grad=True)
    features = torch.tanh((q @ w_q.T).unsqueeze(2) + (k @ w_k.T).unsqueeze(1))
    scores = (features @ w_v.T).squeeze(-1)
    if lens is not None:
        mask = torch.arange(K)[None, None, :] >= torch.tensor(lens)[:, None, None]
        scores = scores.masked_fill(mask, -1e6)
    weights = torch.softmax(scores, dim=-1)
    out = torch.bmm(weights, v)
    w = torch.randn(out.shape, dtype=torch.float64)
    (out * w).sum().backward()
    return {
        "name": name,
        "validLens": lens,
        "wQ": tensor_json(w_q), "wK": tensor_json(w_k), "wV": tensor_json(w_v),
        "queries": tensor_json(q), "keys": tensor_json(k), "values": tensor_json(v),
        "weights": tensor_json(weights), "output": tensor_json(out), "lossWeights": tensor_json(w),
        "grad": {"queries": tensor_json(q.grad), "keys": tensor_json(k.grad), "values": tensor_json(v.grad),
                 "wQ": tensor_json(w_q.grad), "wK": tensor_json(w_k.grad), "wV": tensor_json(w_v.grad)},
    }


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_json(OUT, {"torch": torch.__version__, "cases": [case(*c) for c in CASES]})
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
