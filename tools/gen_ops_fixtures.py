#!/usr/bin/python3
"""Golden fixtures for the indexing, sorting, tiling, min/max, cumulative and activation ops,
computed with PyTorch.

Writes test/fixtures/ops/<name>.json and test/fixtures/ops/index.json. Each case holds the op's
name and arguments, its inputs, its outputs, a seeded upstream gradient for each differentiable
output, and the gradients of the differentiable inputs. Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_ops_fixtures.py

Output is deterministic: each case seeds torch from a checksum of its own name.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable

import torch
import torch.nn.functional as F

from fixture_json import clear_json, seed_for, tensor_json, write_json

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "test" / "fixtures" / "ops"

Inputs = dict[str, torch.Tensor]
Fn = Callable[[Inputs], "torch.Tensor | tuple[torch.Tensor, ...]"]


def case(name: str, op: str, args: dict[str, Any], make: Callable[[], Inputs], diff: list[str], fn: Fn, differentiable_outputs: list[int] | None = None) -> dict[str, Any]:
    """Runs fn on the inputs make() builds (under the case's seed) and records values and gradients."""
    torch.manual_seed(seed_for(name))
    inputs = make()
    for k in diff:
        inputs[k] = inputs[k].detach().clone().requires_grad_(True)
    result = fn(inputs)
    outputs = list(result) if isinstance(result, tuple) else [result]
    which = differentiable_outputs if differentiable_outputs is not None else ([0] if diff else [])
    upstream = [torch.randn(outputs[i].shape) for i in which]
    grads: dict[str, Any] = {}
    if diff:
        total = sum((outputs[i] * u).sum() for i, u in zip(which, upstream))
        total.backward()
        grads = {k: tensor_json(inputs[k].grad) for k in diff}
    return {
        "name": name,
        "op": op,
        "args": args,
        "inputs": {k: tensor_json(v) for k, v in inputs.items()},
        "diff": diff,
        "outputs": [tensor_json(o) for o in outputs],
        "differentiableOutputs": which,
        "upstream": [tensor_json(u) for u in upstream],
        "grads": grads,
    }


def idx(*shape: int, high: int) -> torch.Tensor:
    return torch.randint(0, high, shape)


def cases() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    # gather: repeated indices, an index smaller than x off dim, negative dim.
    out.append(case("gather_dim0", "gather", {"dim": 0},
                    lambda: {"x": torch.randn(4, 3), "index": idx(5, 2, high=4)}, ["x"],
                    lambda i: torch.gather(i["x"], 0, i["index"])))
    out.append(case("gather_dim1_3d", "gather", {"dim": 1},
                    lambda: {"x": torch.randn(2, 5, 3), "index": idx(2, 4, 2, high=5)}, ["x"],
                    lambda i: torch.gather(i["x"], 1, i["index"])))
    out.append(case("gather_dim_neg1", "gather", {"dim": -1},
                    lambda: {"x": torch.randn(3, 4), "index": idx(3, 6, high=4)}, ["x"],
                    lambda i: torch.gather(i["x"], -1, i["index"])))
    # scatterAdd: repeated indices accumulate; index narrower than x off dim.
    out.append(case("scatter_add_dim0", "scatterAdd", {"dim": 0},
                    lambda: {"x": torch.randn(3, 4), "index": idx(5, 4, high=3), "src": torch.randn(5, 4)}, ["x", "src"],
                    lambda i: i["x"].scatter_add(0, i["index"], i["src"])))
    # (PyTorch 1.13's backward rejects a src larger than index, so src matches index here.)
    out.append(case("scatter_add_dim1_index_narrower", "scatterAdd", {"dim": 1},
                    lambda: {"x": torch.randn(2, 3, 4), "index": idx(2, 5, 3, high=3), "src": torch.randn(2, 5, 3)}, ["x", "src"],
                    lambda i: i["x"].scatter_add(1, i["index"], i["src"])))
    # argmax / argmin (not differentiable), including a tie (the first position wins).
    tie = lambda: {"x": torch.tensor([[1.0, 3.0, 3.0, -2.0], [5.0, 5.0, 0.0, 5.0], [0.5, -1.0, 2.0, -1.0]])}
    for fn_name, f in (("argmax", torch.argmax), ("argmin", torch.argmin)):
        out.append(case(f"{fn_name}_flat", fn_name, {}, lambda: {"x": torch.randn(3, 4, 2)}, [], lambda i, f=f: f(i["x"]).float()))
        out.append(case(f"{fn_name}_dim1_keepdim", fn_name, {"dim": 1, "keepdim": True},
                        lambda: {"x": torch.randn(3, 4, 2)}, [], lambda i, f=f: f(i["x"], 1, True).float()))
        out.append(case(f"{fn_name}_dim0", fn_name, {"dim": 0}, lambda: {"x": torch.randn(3, 4)}, [], lambda i, f=f: f(i["x"], 0).float()))
        out.append(case(f"{fn_name}_ties", fn_name, {"dim": 1}, tie, [], lambda i, f=f: f(i["x"], 1).float()))
    # topk: values are differentiable, indices are not.
    for name, k, dim, largest in (("topk_largest_last", 3, -1, True), ("topk_smallest_dim0", 2, 0, False), ("topk_all_dim1", 4, 1, True)):
        out.append(case(name, "topk", {"k": k, "dim": dim, "largest": largest},
                        lambda: {"x": torch.randn(4, 4, 3)}, ["x"],
                        lambda i, k=k, dim=dim, largest=largest: tuple(t if j == 0 else t.float() for j, t in enumerate(torch.topk(i["x"], k, dim, largest, True))),
                        [0]))
    # expand / repeat / tile.
    out.append(case("expand_new_dims", "expand", {"shape": [2, 3, 4]}, lambda: {"x": torch.randn(3, 1)}, ["x"],
                    lambda i: i["x"].expand(2, 3, 4)))
    out.append(case("expand_keep", "expand", {"shape": [-1, 4, 5]}, lambda: {"x": torch.randn(2, 1, 5)}, ["x"],
                    lambda i: i["x"].expand(-1, 4, 5)))
    out.append(case("repeat_more_dims", "repeat", {"reps": [2, 1, 2]}, lambda: {"x": torch.randn(2, 3)}, ["x"],
                    lambda i: i["x"].repeat(2, 1, 2)))
    out.append(case("repeat_same_dims", "repeat", {"reps": [3, 2]}, lambda: {"x": torch.randn(2, 2)}, ["x"],
                    lambda i: i["x"].repeat(3, 2)))
    out.append(case("tile_short_reps", "tile", {"reps": [2]}, lambda: {"x": torch.randn(2, 3)}, ["x"],
                    lambda i: torch.tile(i["x"], (2,))))
    out.append(case("tile_long_reps", "tile", {"reps": [2, 1, 3]}, lambda: {"x": torch.randn(2, 2)}, ["x"],
                    lambda i: torch.tile(i["x"], (2, 1, 3))))
    # where with broadcasting of all three.
    out.append(case("where_broadcast", "where", {},
                    lambda: {"cond": (torch.randn(3, 1, 4) > 0).float(), "a": torch.randn(2, 4), "b": torch.randn(3, 2, 1)}, ["a", "b"],
                    lambda i: torch.where(i["cond"] != 0, i["a"], i["b"])))
    # maximum / minimum with ties (gradient split half each) and broadcasting.

    def with_ties() -> Inputs:
        a = torch.randn(3, 4)
        b = torch.randn(4)
        a[0, 1] = b[1]
        a[2, 3] = b[3]
        a[1, 0] = b[0]
        return {"a": a, "b": b}

    out.append(case("maximum_ties_broadcast", "maximum", {}, with_ties, ["a", "b"], lambda i: torch.maximum(i["a"], i["b"])))
    out.append(case("minimum_ties_broadcast", "minimum", {}, with_ties, ["a", "b"], lambda i: torch.minimum(i["a"], i["b"])))

    # clamp, with some inputs exactly on the bounds (the gradient passes there).
    def on_bounds() -> Inputs:
        x = torch.randn(4, 5)
        x[0, 0] = -0.5
        x[1, 2] = 0.75
        return {"x": x}

    out.append(case("clamp_both", "clamp", {"min": -0.5, "max": 0.75}, on_bounds, ["x"], lambda i: torch.clamp(i["x"], -0.5, 0.75)))
    out.append(case("clamp_min", "clamp", {"min": -0.5}, on_bounds, ["x"], lambda i: torch.clamp(i["x"], min=-0.5)))
    out.append(case("clamp_max", "clamp", {"max": 0.75}, on_bounds, ["x"], lambda i: torch.clamp(i["x"], max=0.75)))
    # maskedFill with a broadcast mask.
    out.append(case("masked_fill_broadcast", "maskedFill", {"value": -1e9},
                    lambda: {"x": torch.randn(2, 3, 4), "mask": (torch.randn(3, 1) > 0).float()}, ["x"],
                    lambda i: i["x"].masked_fill(i["mask"] != 0, -1e9)))
    # cumsum and logsumexp.
    out.append(case("cumsum_dim0", "cumsum", {"dim": 0}, lambda: {"x": torch.randn(5, 3)}, ["x"], lambda i: torch.cumsum(i["x"], 0)))
    out.append(case("cumsum_dim_neg1_3d", "cumsum", {"dim": -1}, lambda: {"x": torch.randn(2, 3, 6)}, ["x"], lambda i: torch.cumsum(i["x"], -1)))
    out.append(case("logsumexp_dim1", "logsumexp", {"dim": 1, "keepdim": False}, lambda: {"x": torch.randn(3, 5)}, ["x"],
                    lambda i: torch.logsumexp(i["x"], 1)))
    out.append(case("logsumexp_large_keepdim", "logsumexp", {"dim": 1, "keepdim": True},
                    lambda: {"x": torch.randn(2, 4, 3) * 3 + 1000}, ["x"],
                    # In float64: float32's own exp(x - lse) near 1000 is off by an ulp of 1000 (6e-5).
                    lambda i: torch.logsumexp(i["x"].double(), 1, True).float()))
    out.append(case("logsumexp_two_dims", "logsumexp", {"dim": [0, 2], "keepdim": False}, lambda: {"x": torch.randn(2, 3, 4)}, ["x"],
                    lambda i: torch.logsumexp(i["x"], (0, 2))))
    # Activation primitives, over a range that covers both sides of each kink (values chosen
    # away from the kinks, where PyTorch and the library may pick different one-sided slopes).
    acts: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
        "elu": F.elu,
        "selu": F.selu,
        "softplus": F.softplus,
        "softsign": F.softsign,
        "relu6": F.relu6,
        "hardSigmoidKeras3": F.hardsigmoid,
        "hardSigmoid": lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0),
        "silu": F.silu,
        "gelu": lambda x: F.gelu(x),
        "geluTanh": lambda x: F.gelu(x, approximate="tanh"),
    }
    for op, f in acts.items():
        out.append(case(f"act_{op}", op, {}, lambda: {"x": torch.linspace(-8.05, 8.05, 46)}, ["x"], lambda i, f=f: f(i["x"])))
    return out


def main() -> None:
    clear_json(OUT_DIR)
    names = []
    for c in cases():
        write_json(OUT_DIR / f"{c['name']}.json", c)
        names.append(c["name"])
    write_json(OUT_DIR / "index.json", names)
    print(f"wrote {len(names)} cases to {OUT_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
