#!/usr/bin/python3
"""Golden fixtures for variable-length batches, computed with PyTorch's packed sequences.

Writes test/fixtures/masks/<name>.json (+ index.json). Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_mask_fixtures.py

Each case packs a padded batch with pack_padded_sequence(enforce_sorted=False) (lengths in no
particular order), runs nn.RNN / nn.LSTM (with and without projection) / nn.GRU, and unpacks with
pad_packed_sequence(total_length=T), so outputs past each length are zero. The padding of the
input holds random values: a layer that read them would fail. Every file holds the parameters,
inputs, lengths, outputs, final states, the random loss weights that define
loss = sum(output * w_out) + sum(hN * w_h) + sum(cN * w_c), and the gradients of that loss with
respect to the input, the initial states and every parameter. Each case seeds torch from a
checksum of its own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixture_json import clear_json, seed_for, tensor_json, write_json

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "test" / "fixtures" / "masks"


@dataclass(frozen=True)
class Case:
    module: str  # "RNN" | "LSTM" | "GRU"
    lengths: tuple[int, ...]
    nonlinearity: str = "tanh"
    num_layers: int = 1
    bidirectional: bool = False
    batch_first: bool = False
    proj_size: int = 0
    with_h0: bool = True
    input_size: int = 3
    hidden_size: int = 5

    @property
    def name(self) -> str:
        prefix = {"RNN": f"rnn_{self.nonlinearity}", "LSTM": "lstm", "GRU": "gru"}[self.module]
        parts = [prefix, f"L{self.num_layers}", "bi" if self.bidirectional else "uni", "bf" if self.batch_first else "tf"]
        if self.proj_size > 0:
            parts.append(f"P{self.proj_size}")
        if not self.with_h0:
            parts.append("noh0")
        parts.append("len" + "-".join(str(n) for n in self.lengths))
        return "_".join(parts)


def cases() -> list[Case]:
    return [
        Case("LSTM", (5, 2, 4)),
        Case("LSTM", (3, 5, 1, 5), bidirectional=True),
        Case("LSTM", (2, 4, 3), num_layers=2, bidirectional=True, batch_first=True),
        Case("LSTM", (4, 1, 3), proj_size=2, input_size=4),
        Case("LSTM", (3, 5, 2), proj_size=3, num_layers=2, bidirectional=True, batch_first=True, hidden_size=6),
        Case("GRU", (5, 2, 4)),
        Case("GRU", (1, 4, 4, 2), num_layers=2, bidirectional=True, with_h0=False),
        Case("GRU", (3, 6, 2), bidirectional=True, batch_first=True, input_size=4, hidden_size=4),
        Case("RNN", (4, 2, 3), nonlinearity="tanh", num_layers=2, bidirectional=True),
        Case("RNN", (2, 5, 5), nonlinearity="relu", batch_first=True),
        Case("RNN", (3,), nonlinearity="tanh", bidirectional=True),
    ]


def build(c: Case) -> nn.Module:
    common = dict(
        input_size=c.input_size,
        hidden_size=c.hidden_size,
        num_layers=c.num_layers,
        batch_first=c.batch_first,
        bidirectional=c.bidirectional,
    )
    if c.module == "RNN":
        return nn.RNN(nonlinearity=c.nonlinearity, **common)
    if c.module == "LSTM":
        return nn.LSTM(proj_size=c.proj_size, **common)
    return nn.GRU(**common)


def fixture(c: Case) -> dict[str, Any]:
    name = c.name
    seed = seed_for(name)
    torch.manual_seed(seed)
    module = build(c)
    D = 2 if c.bidirectional else 1
    H = c.hidden_size
    P = c.proj_size if c.proj_size > 0 else H
    B = len(c.lengths)
    T = max(c.lengths) + 1  # one step of padding even for the longest sequence
    x = torch.randn(*((B, T, c.input_size) if c.batch_first else (T, B, c.input_size))).requires_grad_(True)
    h0 = c0 = None
    if c.with_h0:
        h0 = torch.randn(c.num_layers * D, B, P).requires_grad_(True)
        if c.module == "LSTM":
            c0 = torch.randn(c.num_layers * D, B, H).requires_grad_(True)
    lengths = torch.tensor(c.lengths)
    packed = pack_padded_sequence(x, lengths, batch_first=c.batch_first, enforce_sorted=False)
    if c.module == "LSTM":
        out_p, (hN, cN) = module(packed, (h0, c0)) if h0 is not None else module(packed)
    else:
        out_p, hN = module(packed, h0) if h0 is not None else module(packed)
        cN = None
    output, _ = pad_packed_sequence(out_p, batch_first=c.batch_first, total_length=T)
    w_out = torch.randn(*output.shape)
    w_h = torch.randn(*hN.shape)
    w_c = torch.randn(*cN.shape) if cN is not None else None
    loss = (output * w_out).sum() + (hN * w_h).sum()
    if cN is not None:
        loss = loss + (cN * w_c).sum()
    loss.backward()
    return {
        "name": name,
        "module": c.module,
        "options": {
            "inputSize": c.input_size,
            "hiddenSize": c.hidden_size,
            "numLayers": c.num_layers,
            "batchFirst": c.batch_first,
            "bidirectional": c.bidirectional,
            "nonlinearity": c.nonlinearity,
            "projSize": c.proj_size,
        },
        "lengths": list(c.lengths),
        "params": {n: tensor_json(p) for n, p in module.named_parameters()},
        "input": tensor_json(x),
        "h0": tensor_json(h0),
        "c0": tensor_json(c0),
        "output": tensor_json(output),
        "hN": tensor_json(hN),
        "cN": tensor_json(cN),
        "lossWeights": {"output": tensor_json(w_out), "hN": tensor_json(w_h), "cN": tensor_json(w_c)},
        "grads": {
            "input": tensor_json(x.grad),
            "h0": tensor_json(h0.grad) if h0 is not None else None,
            "c0": tensor_json(c0.grad) if c0 is not None else None,
            "params": {n: tensor_json(p.grad) for n, p in module.named_parameters()},
        },
    }


def main() -> None:
    torch.set_default_dtype(torch.float32)
    clear_json(OUT_DIR)
    names = []
    for c in cases():
        write_json(OUT_DIR / f"{c.name}.json", fixture(c))
        names.append(c.name)
    write_json(OUT_DIR / "index.json", names)
    print(f"wrote {len(names)} fixtures to {OUT_DIR}")


if __name__ == "__main__":
    main()
