#!/usr/bin/python3
"""Golden fixtures for the recurrent layers, cells and Highway, computed with PyTorch.

Writes test/fixtures/parity/<name>.json (+ index.json) and
test/fixtures/highway/<name>.json (+ index.json). Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_parity_fixtures.py

Every file holds the parameters, inputs, outputs, the random loss weights that define
loss = sum(output * w_out) + sum(hN * w_h) + sum(cN * w_c), and the gradients of that loss.
Output is deterministic: each configuration seeds torch from a checksum of its own name,
so adding or reordering configurations leaves the other files byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from fixture_json import clear_json, seed_for, tensor_json, write_json

ROOT = Path(__file__).resolve().parent.parent
PARITY_DIR = ROOT / "test" / "fixtures" / "parity"
HIGHWAY_DIR = ROOT / "test" / "fixtures" / "highway"


# ---------------------------------------------------------------------------
# Recurrent layers (RNN, LSTM, GRU)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerConfig:
    module: str  # "RNN" | "LSTM" | "GRU"
    nonlinearity: str = "tanh"
    num_layers: int = 1
    bidirectional: bool = False
    batch_first: bool = False
    bias: bool = True
    with_h0: bool = True
    proj_size: int = 0
    seq_len: int = 4
    batch: int = 3
    input_size: int = 3
    hidden_size: int = 5

    @property
    def name(self) -> str:
        prefix = {"RNN": f"rnn_{self.nonlinearity}", "LSTM": "lstm", "GRU": "gru"}[self.module]
        parts = [
            prefix,
            f"L{self.num_layers}",
            "bi" if self.bidirectional else "uni",
            "bf" if self.batch_first else "tf",
            "bias" if self.bias else "nobias",
            "h0" if self.with_h0 else "noh0",
        ]
        if self.proj_size > 0:
            parts.append(f"P{self.proj_size}")
        parts += [f"T{self.seq_len}", f"B{self.batch}"]
        return "_".join(parts)


def layer_configs() -> list[LayerConfig]:
    """Covers every dimension per module without the full cartesian product.

    Input and hidden sizes differ (I != H) and vary between configurations so that a
    transposed weight or a swapped size cannot pass by accident.
    """
    modules = [("RNN", "tanh"), ("RNN", "relu"), ("LSTM", "tanh"), ("GRU", "tanh")]
    # (L, bi, bf, bias, h0, T, B, I, H)
    grid = [
        (1, False, False, True, True, 4, 3, 3, 5),  # base
        (1, False, False, True, False, 4, 3, 4, 5),  # no h0
        (1, False, True, True, True, 4, 3, 3, 4),  # batch first
        (1, False, False, False, True, 4, 3, 5, 4),  # no bias
        (1, False, False, True, True, 1, 3, 3, 6),  # T = 1
        (1, False, False, True, True, 4, 1, 4, 6),  # B = 1
        (1, True, False, True, True, 4, 3, 3, 5),  # bidirectional
        (2, False, False, True, True, 4, 3, 4, 5),  # stacked
        (2, True, True, True, False, 4, 3, 3, 4),  # stacked bi, batch first, no h0
        (3, True, False, True, True, 4, 3, 5, 4),  # L = 3 bidirectional
        (3, True, True, False, True, 1, 1, 3, 5),  # L = 3 bi, everything small and odd
        (2, True, False, False, False, 4, 1, 4, 6),  # stacked bi, no bias, no h0, B = 1
    ]
    out: list[LayerConfig] = []
    for module, nonlinearity in modules:
        for L, bi, bf, bias, h0, T, B, I, H in grid:
            out.append(
                LayerConfig(
                    module=module,
                    nonlinearity=nonlinearity,
                    num_layers=L,
                    bidirectional=bi,
                    batch_first=bf,
                    bias=bias,
                    with_h0=h0,
                    seq_len=T,
                    batch=B,
                    input_size=I,
                    hidden_size=H,
                )
            )
    # LSTM with projections (h is projected from H down to P by weight_hr).
    # (L, bi, bf, bias, h0, P, T, B, I, H)
    proj_grid = [
        (1, False, False, True, True, 2, 4, 3, 3, 5),
        (1, True, False, True, True, 3, 4, 3, 4, 5),
        (2, False, True, True, False, 3, 4, 3, 3, 6),
        (2, True, False, False, True, 2, 4, 3, 5, 4),
        (2, True, True, True, True, 2, 1, 1, 4, 6),
    ]
    for L, bi, bf, bias, h0, P, T, B, I, H in proj_grid:
        out.append(
            LayerConfig(
                module="LSTM",
                num_layers=L,
                bidirectional=bi,
                batch_first=bf,
                bias=bias,
                with_h0=h0,
                proj_size=P,
                seq_len=T,
                batch=B,
                input_size=I,
                hidden_size=H,
            )
        )
    return out


def build_layer(cfg: LayerConfig) -> nn.Module:
    common = dict(
        input_size=cfg.input_size,
        hidden_size=cfg.hidden_size,
        num_layers=cfg.num_layers,
        bias=cfg.bias,
        batch_first=cfg.batch_first,
        bidirectional=cfg.bidirectional,
    )
    if cfg.module == "RNN":
        return nn.RNN(nonlinearity=cfg.nonlinearity, **common)
    if cfg.module == "LSTM":
        return nn.LSTM(proj_size=cfg.proj_size, **common)
    return nn.GRU(**common)


def layer_fixture(cfg: LayerConfig) -> dict[str, Any]:
    name = cfg.name
    seed = seed_for(name)
    torch.manual_seed(seed)
    module = build_layer(cfg)  # PyTorch's default init, drawn from the seeded generator
    params = list(module.named_parameters())

    D = 2 if cfg.bidirectional else 1
    H = cfg.hidden_size
    P = cfg.proj_size if cfg.proj_size > 0 else H
    T, B, I = cfg.seq_len, cfg.batch, cfg.input_size
    input_shape = (B, T, I) if cfg.batch_first else (T, B, I)
    x = torch.randn(*input_shape).requires_grad_(True)

    h0 = c0 = None
    if cfg.with_h0:
        h0 = torch.randn(cfg.num_layers * D, B, P).requires_grad_(True)
        if cfg.module == "LSTM":
            c0 = torch.randn(cfg.num_layers * D, B, H).requires_grad_(True)

    if cfg.module == "LSTM":
        output, (hN, cN) = module(x, (h0, c0)) if h0 is not None else module(x)
    else:
        output, hN = module(x, h0) if h0 is not None else module(x)
        cN = None

    w_out = torch.randn(*output.shape)
    w_h = torch.randn(*hN.shape)
    w_c = torch.randn(*cN.shape) if cN is not None else None
    loss = (output * w_out).sum() + (hN * w_h).sum()
    if cN is not None:
        loss = loss + (cN * w_c).sum()
    loss.backward()

    return {
        "name": name,
        "module": cfg.module,
        "seed": seed,
        "options": {
            "inputSize": cfg.input_size,
            "hiddenSize": cfg.hidden_size,
            "numLayers": cfg.num_layers,
            "bias": cfg.bias,
            "batchFirst": cfg.batch_first,
            "bidirectional": cfg.bidirectional,
            "nonlinearity": cfg.nonlinearity,
            "projSize": cfg.proj_size,
        },
        "params": {n: tensor_json(p) for n, p in params},
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
            "params": {n: tensor_json(p.grad) for n, p in params},
        },
    }


# ---------------------------------------------------------------------------
# Cells (RNNCell, LSTMCell, GRUCell)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellConfig:
    module: str  # "RNNCell" | "LSTMCell" | "GRUCell"
    nonlinearity: str = "tanh"
    bias: bool = True
    with_hx: bool = True
    batch: int = 3
    input_size: int = 4
    hidden_size: int = 5

    @property
    def name(self) -> str:
        prefix = {
            "RNNCell": f"rnncell_{self.nonlinearity}",
            "LSTMCell": "lstmcell",
            "GRUCell": "grucell",
        }[self.module]
        return "_".join(
            [prefix, "bias" if self.bias else "nobias", "hx" if self.with_hx else "nohx", f"B{self.batch}"]
        )


def cell_configs() -> list[CellConfig]:
    modules = [("RNNCell", "tanh"), ("RNNCell", "relu"), ("LSTMCell", "tanh"), ("GRUCell", "tanh")]
    # (bias, hx, B, I, H)
    grid = [
        (True, True, 3, 4, 5),
        (True, False, 3, 3, 6),
        (False, True, 1, 5, 4),
        (False, False, 3, 4, 6),
    ]
    return [
        CellConfig(module=m, nonlinearity=nl, bias=bias, with_hx=hx, batch=B, input_size=I, hidden_size=H)
        for m, nl in modules
        for bias, hx, B, I, H in grid
    ]


def cell_fixture(cfg: CellConfig) -> dict[str, Any]:
    name = cfg.name
    seed = seed_for(name)
    torch.manual_seed(seed)
    I, H, B = cfg.input_size, cfg.hidden_size, cfg.batch
    if cfg.module == "RNNCell":
        module: nn.Module = nn.RNNCell(I, H, bias=cfg.bias, nonlinearity=cfg.nonlinearity)
    elif cfg.module == "LSTMCell":
        module = nn.LSTMCell(I, H, bias=cfg.bias)
    else:
        module = nn.GRUCell(I, H, bias=cfg.bias)
    params = list(module.named_parameters())

    x = torch.randn(B, I).requires_grad_(True)
    h0 = c0 = None
    if cfg.with_hx:
        h0 = torch.randn(B, H).requires_grad_(True)
        if cfg.module == "LSTMCell":
            c0 = torch.randn(B, H).requires_grad_(True)

    if cfg.module == "LSTMCell":
        h1, c1 = module(x, (h0, c0)) if h0 is not None else module(x)
    else:
        h1 = module(x, h0) if h0 is not None else module(x)
        c1 = None

    w_out = torch.randn(*h1.shape)
    w_c = torch.randn(*c1.shape) if c1 is not None else None
    loss = (h1 * w_out).sum()
    if c1 is not None:
        loss = loss + (c1 * w_c).sum()
    loss.backward()

    return {
        "name": name,
        "module": cfg.module,
        "seed": seed,
        "options": {
            "inputSize": I,
            "hiddenSize": H,
            "bias": cfg.bias,
            "nonlinearity": cfg.nonlinearity,
        },
        "params": {n: tensor_json(p) for n, p in params},
        "input": tensor_json(x),
        "h0": tensor_json(h0),
        "c0": tensor_json(c0),
        "output": tensor_json(h1),
        "hN": tensor_json(h1),
        "cN": tensor_json(c1),
        "lossWeights": {"output": tensor_json(w_out), "hN": None, "cN": tensor_json(w_c)},
        "grads": {
            "input": tensor_json(x.grad),
            "h0": tensor_json(h0.grad) if h0 is not None else None,
            "c0": tensor_json(c0.grad) if c0 is not None else None,
            "params": {n: tensor_json(p.grad) for n, p in params},
        },
    }


# ---------------------------------------------------------------------------
# Highway (no PyTorch module exists; built from torch ops)
# ---------------------------------------------------------------------------


class HighwayLayer(nn.Module):
    """y = Hx * Tx + x * (1 - Tx), Hx = act(x W_h^T + b_h), Tx = sigmoid(x W_t^T + b_t)."""

    def __init__(self, size: int, activation: str, transform_bias: float) -> None:
        super().__init__()
        # nn.Linear's default init for both weights and b_h; b_t is a constant so the
        # carry path dominates at the start, as in Srivastava et al. (2015).
        h = nn.Linear(size, size)
        t = nn.Linear(size, size)
        self.weight_h = nn.Parameter(h.weight.detach().clone())
        self.bias_h = nn.Parameter(h.bias.detach().clone())
        self.weight_t = nn.Parameter(t.weight.detach().clone())
        self.bias_t = nn.Parameter(torch.full((size,), transform_bias))
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = x @ self.weight_h.T + self.bias_h
        hx = torch.relu(pre) if self.activation == "relu" else torch.tanh(pre)
        tx = torch.sigmoid(x @ self.weight_t.T + self.bias_t)
        return hx * tx + x * (1 - tx)


class Highway(nn.Module):
    def __init__(self, size: int, num_layers: int, activation: str, transform_bias: float) -> None:
        super().__init__()
        self.layers = nn.ModuleList(HighwayLayer(size, activation, transform_bias) for _ in range(num_layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x


def highway_fixture(activation: str, num_layers: int, size: int, batch: int) -> dict[str, Any]:
    transform_bias = -2.0
    name = f"highway_{activation}_L{num_layers}_S{size}_B{batch}"
    seed = seed_for(name)
    torch.manual_seed(seed)
    module = Highway(size, num_layers, activation, transform_bias)
    params = list(module.named_parameters())
    x = torch.randn(batch, size).requires_grad_(True)
    y = module(x)
    w_out = torch.randn(*y.shape)
    (y * w_out).sum().backward()
    return {
        "name": name,
        "module": "Highway",
        "seed": seed,
        "options": {
            "size": size,
            "numLayers": num_layers,
            "activation": activation,
            "transformBias": transform_bias,
        },
        "params": {n: tensor_json(p) for n, p in params},
        "input": tensor_json(x),
        "output": tensor_json(y),
        "lossWeights": {"output": tensor_json(w_out)},
        "grads": {"input": tensor_json(x.grad), "params": {n: tensor_json(p.grad) for n, p in params}},
    }


def main() -> None:
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)

    clear_json(PARITY_DIR)
    names: list[str] = []
    fixtures = [layer_fixture(c) for c in layer_configs()] + [cell_fixture(c) for c in cell_configs()]
    for fx in fixtures:
        if fx["name"] in names:
            raise RuntimeError(f"duplicate fixture name {fx['name']}")
        names.append(fx["name"])
        write_json(PARITY_DIR / f"{fx['name']}.json", fx)
    write_json(PARITY_DIR / "index.json", names)

    clear_json(HIGHWAY_DIR)
    hw_names: list[str] = []
    for activation, num_layers, size, batch in [("relu", 1, 4, 3), ("tanh", 1, 5, 3), ("relu", 3, 5, 3), ("tanh", 3, 4, 1)]:
        fx = highway_fixture(activation, num_layers, size, batch)
        hw_names.append(fx["name"])
        write_json(HIGHWAY_DIR / f"{fx['name']}.json", fx)
    write_json(HIGHWAY_DIR / "index.json", hw_names)

    print(f"torch {torch.__version__}: wrote {len(names)} parity and {len(hw_names)} highway fixtures")


if __name__ == "__main__":
    main()
