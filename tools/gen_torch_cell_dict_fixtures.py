#!/usr/bin/python3
"""PyTorch state dicts of peephole and layer-normalised LSTMs, for importPyTorch's mapping by names.

torch.nn has neither layer, so each is an nn.Module here whose parameters carry the names the
library's PyTorch export writes (and tools/gen_cell_fixtures.py uses): weight_ih_l0, weight_hh_l0,
bias_ih_l0, bias_hh_l0, weight_ci_l0, weight_cf_l0, weight_co_l0 for the peephole LSTM;
weight_ih_l0, weight_hh_l0, layernorm_{i,h,c}_{weight,bias}_l0 for the layer-normalised LSTM
(PyTorch's custom_lstms.py LayerNormLSTMCell), with _l<k> and _reverse suffixes. The step
functions are gen_cell_fixtures.py's. Writes test/fixtures/interop/pytorch-cells/<case>.pt
(torch.save of the state dict, alone or under "rnn." beside an "fc." nn.Linear) and <case>.json
(options, input, states, PyTorch's output and final states, float64 from float32 draws).
Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_torch_cell_dict_fixtures.py
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import torch

from fixture_json import clear_json, seed_for, tensor_json, write_json
from gen_cell_fixtures import CELLS, Case, init, param_shapes, run_layer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "interop" / "pytorch-cells"

# (cell, L, bidirectional, bias, container): sizes I = 3, H = 4, T = 4, B = 2.
GRID = [
    ("peephole_lstm", 1, False, True, False),
    ("peephole_lstm", 2, True, False, True),
    ("layernorm_lstm", 1, False, True, False),
    ("layernorm_lstm", 2, True, True, True),
    ("layernorm_lstm", 1, True, False, False),
]


def main() -> None:
    torch.set_num_threads(1)
    clear_json(OUT)
    for old in OUT.glob("*.pt"):
        old.unlink()
    names = []
    for cell, L, bi, bias, container in GRID:
        name = f"{cell}_L{L}_{'bi' if bi else 'uni'}_{'bias' if bias else 'nobias'}{'_container' if container else ''}"
        torch.manual_seed(seed_for(name))
        I, H, T, B = 3, 4, 4, 2
        D = 2 if bi else 1
        case = Case(cell, True, L, bi, False, bias, True, T, B, I, H)
        params: "OrderedDict[str, torch.Tensor]" = OrderedDict()
        for l in range(L):
            for d in range(D):
                sfx = f"_l{l}" + ("_reverse" if d == 1 else "")
                for suffix, shape, kind in param_shapes(cell, I if l == 0 else H * D, H, bias):
                    params[suffix + sfx] = init(shape, kind, H).float()
        x = torch.randn(T, B, I)
        h0 = torch.randn(L * D, B, H)
        c0 = torch.randn(L * D, B, H)
        _, step = CELLS[cell]
        with torch.no_grad():
            output, hN, cN = run_layer(case, step, {k: v.double() for k, v in params.items()}, x.double(), h0.double(), c0.double())
        sd: "OrderedDict[str, torch.Tensor]" = OrderedDict()
        if container:
            for k, v in params.items():
                sd[f"rnn.{k}"] = v
            fc = torch.nn.Linear(H * D, 5)
            sd["fc.weight"] = fc.weight.detach()
            sd["fc.bias"] = fc.bias.detach()
        else:
            sd = params
        torch.save(sd, OUT / f"{name}.pt")
        write_json(
            OUT / f"{name}.json",
            {
                "name": name,
                "cell": cell,
                "container": container,
                "options": {"inputSize": I, "hiddenSize": H, "numLayers": L, "bidirectional": bi, "bias": bias},
                "input": tensor_json(x),
                "h0": tensor_json(h0),
                "c0": tensor_json(c0),
                "output": tensor_json(output),
                "hN": tensor_json(hN),
                "cN": tensor_json(cN),
            },
        )
        names.append(name)
    write_json(OUT / "index.json", names)
    print(f"gen_torch_cell_dict_fixtures: {len(names)} fixtures -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
