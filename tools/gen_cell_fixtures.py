#!/usr/bin/python3
"""Golden fixtures for the peephole LSTM and the layer-normalised LSTM, computed with PyTorch.

Neither cell exists in torch.nn, so both are written here with plain torch ops and PyTorch's
autograd gives every gradient. The layer-normalised cell follows PyTorch's own reference,
LayerNormLSTMCell in pytorch/benchmarks/fastrnns/custom_lstms.py. Writes
test/fixtures/cells/<name>.json (+ index.json). Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_cell_fixtures.py

Each file holds the options, parameters (under the library's names), inputs, outputs, final
states, the random loss weights of loss = sum(output * w_out) + sum(hN * w_h) + sum(cN * w_c),
and the gradients of that loss with respect to the input, the initial states and every
parameter. Each case seeds torch from a checksum of its own name.

Values are drawn in float32 (the library's type) and the forward and backward run in float64,
so the golden numbers are the exact results for those float32 inputs: a float32 run in PyTorch
would itself be off by about 1e-5 where a layer norm meets a near-constant row (rstd up to
1/sqrt(1e-5) ≈ 316 amplifies rounding), which is the size of the tolerance being tested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from fixture_json import clear_json, seed_for, tensor_json, write_json

ROOT = Path(__file__).resolve().parent.parent
CELLS_DIR = ROOT / "test" / "fixtures" / "cells"
EPS = 1e-5  # layer-norm epsilon, PyTorch's default


def peephole_step(x, h, c, p):
    """Gers & Schmidhuber: i and f see c_{t-1}, o sees c_t; gate order i|f|g|o."""
    gates = x @ p["weight_ih"].t() + h @ p["weight_hh"].t()
    if "bias_ih" in p:
        gates = gates + p["bias_ih"] + p["bias_hh"]
    a_i, a_f, a_g, a_o = gates.chunk(4, 1)
    i = torch.sigmoid(a_i + p["weight_ci"] * c)
    f = torch.sigmoid(a_f + p["weight_cf"] * c)
    g = torch.tanh(a_g)
    c_new = f * c + i * g
    o = torch.sigmoid(a_o + p["weight_co"] * c_new)
    return o * torch.tanh(c_new), c_new


def layer_norm(v, gain, bias):
    return F.layer_norm(v, (v.shape[-1],), gain, bias, EPS)


def layernorm_step(x, h, c, p):
    """PyTorch's fastrnns LayerNormLSTMCell: LN on both gate products and on the new c."""
    igates = layer_norm(x @ p["weight_ih"].t(), p["layernorm_i_weight"], p.get("layernorm_i_bias"))
    hgates = layer_norm(h @ p["weight_hh"].t(), p["layernorm_h_weight"], p.get("layernorm_h_bias"))
    i, f, g, o = (igates + hgates).chunk(4, 1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_new = layer_norm(f * c + i * g, p["layernorm_c_weight"], p.get("layernorm_c_bias"))
    return o * torch.tanh(c_new), c_new


CELLS = {
    "peephole_lstm": ("PeepholeLSTM", peephole_step),
    "layernorm_lstm": ("LayerNormLSTM", layernorm_step),
}


def param_shapes(cell: str, I: int, H: int, bias: bool) -> list[tuple[str, tuple[int, ...], str]]:
    """(suffix, shape, init) in the library's registration order."""
    G = 4 * H
    if cell == "peephole_lstm":
        out = [("weight_ih", (G, I), "u"), ("weight_hh", (G, H), "u")]
        if bias:
            out += [("bias_ih", (G,), "u"), ("bias_hh", (G,), "u")]
        return out + [("weight_ci", (H,), "u"), ("weight_cf", (H,), "u"), ("weight_co", (H,), "u")]
    out = [("weight_ih", (G, I), "u"), ("weight_hh", (G, H), "u")]
    for part, n in (("i", G), ("h", G), ("c", H)):
        out.append((f"layernorm_{part}_weight", (n,), "gain"))
        if bias:
            out.append((f"layernorm_{part}_bias", (n,), "offset"))
    return out


def init(shape: tuple[int, ...], kind: str, H: int) -> torch.Tensor:
    # Gains and offsets away from 1 and 0, so that a missing gain or bias cannot pass.
    if kind == "gain":
        return 1 + 0.3 * torch.randn(*shape)
    if kind == "offset":
        return 0.3 * torch.randn(*shape)
    bound = 1 / math.sqrt(H)
    return torch.empty(*shape).uniform_(-bound, bound)


@dataclass(frozen=True)
class Case:
    cell: str
    layer: bool = True  # False: a single-step cell (PeepholeLSTMCell, LayerNormLSTMCell)
    num_layers: int = 1
    bidirectional: bool = False
    batch_first: bool = False
    bias: bool = True
    with_h0: bool = True
    seq_len: int = 4
    batch: int = 3
    input_size: int = 3
    hidden_size: int = 5

    @property
    def name(self) -> str:
        if not self.layer:
            return "_".join([self.cell, "cell", "bias" if self.bias else "nobias", "hx" if self.with_h0 else "nohx", f"B{self.batch}"])
        return "_".join(
            [
                self.cell,
                f"L{self.num_layers}",
                "bi" if self.bidirectional else "uni",
                "bf" if self.batch_first else "tf",
                "bias" if self.bias else "nobias",
                "h0" if self.with_h0 else "noh0",
                f"T{self.seq_len}",
                f"B{self.batch}",
            ]
        )


def cases() -> list[Case]:
    out: list[Case] = []
    # (L, bi, bf, bias, h0, T, B, I, H): sizes differ (I != H) so a swapped size cannot pass.
    grid = [
        (1, False, False, True, True, 4, 3, 3, 5),
        (1, False, True, False, False, 4, 3, 4, 5),
        (1, False, False, True, True, 1, 1, 3, 6),
        (2, True, False, True, True, 4, 3, 3, 4),
        (2, True, True, True, False, 3, 2, 5, 4),
        (3, True, False, False, True, 2, 1, 3, 5),
    ]
    for cell in CELLS:
        for L, bi, bf, bias, h0, T, B, I, H in grid:
            out.append(Case(cell, True, L, bi, bf, bias, h0, T, B, I, H))
        out.append(Case(cell, False, bias=True, with_h0=True, batch=3, input_size=4, hidden_size=5))
        out.append(Case(cell, False, bias=False, with_h0=False, batch=1, input_size=3, hidden_size=4))
    return out


def run_layer(case: Case, step, params: dict[str, torch.Tensor], x, h0, c0):
    """Stacked, optionally bidirectional; x (T, B, I) time-major here."""
    L, D = case.num_layers, 2 if case.bidirectional else 1
    T = x.shape[0]
    seq = x
    hs, cs = [], []
    for l in range(L):
        outs = []
        for d in range(D):
            sfx = f"_l{l}" + ("_reverse" if d == 1 else "")
            p = {name[: -len(sfx)]: v for name, v in params.items() if name.endswith(sfx)}
            h, c = h0[l * D + d], c0[l * D + d]
            ys = [None] * T
            for s in range(T):
                t = T - 1 - s if d == 1 else s
                h, c = step(seq[t], h, c, p)
                ys[t] = h
            outs.append(torch.stack(ys, 0))
            hs.append(h)
            cs.append(c)
        seq = torch.cat(outs, 2) if D == 2 else outs[0]
    return seq, torch.stack(hs, 0), torch.stack(cs, 0)


def fixture(case: Case) -> dict[str, Any]:
    name = case.name
    seed = seed_for(name)
    torch.manual_seed(seed)
    module, step = CELLS[case.cell]
    H, I, B, T = case.hidden_size, case.input_size, case.batch, case.seq_len
    L = case.num_layers if case.layer else 1
    D = 2 if case.bidirectional and case.layer else 1
    params: dict[str, torch.Tensor] = {}
    for l in range(L):
        for d in range(D):
            sfx = f"_l{l}" + ("_reverse" if d == 1 else "") if case.layer else ""
            for suffix, shape, kind in param_shapes(case.cell, I if l == 0 else H * D, H, case.bias):
                params[suffix + sfx] = init(shape, kind, H).double().requires_grad_(True)

    if case.layer:
        x = torch.randn(*((B, T, I) if case.batch_first else (T, B, I))).double().requires_grad_(True)
        h0 = torch.randn(L * D, B, H).double().requires_grad_(True) if case.with_h0 else None
        c0 = torch.randn(L * D, B, H).double().requires_grad_(True) if case.with_h0 else None
        xs = x.transpose(0, 1) if case.batch_first else x
        zeros = torch.zeros(L * D, B, H, dtype=torch.float64)
        output, hN, cN = run_layer(case, step, params, xs, h0 if h0 is not None else zeros, c0 if c0 is not None else zeros)
        if case.batch_first:
            output = output.transpose(0, 1)
        module_name = module
    else:
        x = torch.randn(B, I).double().requires_grad_(True)
        h0 = torch.randn(B, H).double().requires_grad_(True) if case.with_h0 else None
        c0 = torch.randn(B, H).double().requires_grad_(True) if case.with_h0 else None
        zeros = torch.zeros(B, H, dtype=torch.float64)
        hN, cN = step(x, h0 if h0 is not None else zeros, c0 if c0 is not None else zeros, params)
        output = hN
        module_name = module + "Cell"

    w_out = torch.randn(*output.shape).double()
    w_h = torch.randn(*hN.shape).double()
    w_c = torch.randn(*cN.shape).double()
    loss = (output * w_out).sum() + (hN * w_h).sum() + (cN * w_c).sum()
    loss.backward()
    options: dict[str, Any] = {"inputSize": I, "hiddenSize": H, "bias": case.bias}
    if case.layer:
        options.update({"numLayers": L, "batchFirst": case.batch_first, "bidirectional": case.bidirectional})
    return {
        "name": name,
        "module": module_name,
        "cell": case.cell,
        "seed": seed,
        "options": options,
        "params": {n: tensor_json(p) for n, p in params.items()},
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
            "params": {n: tensor_json(p.grad) for n, p in params.items()},
        },
    }


def main() -> None:
    torch.set_num_threads(1)
    clear_json(CELLS_DIR)
    names = []
    for case in cases():
        write_json(CELLS_DIR / f"{case.name}.json", fixture(case))
        names.append(case.name)
    write_json(CELLS_DIR / "index.json", names)
    print(f"gen_cell_fixtures: {len(names)} fixtures -> {CELLS_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
