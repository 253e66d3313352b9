#!/usr/bin/python3
"""Golden fixtures for optimisers, gradient clipping and losses, computed with PyTorch.

Writes test/fixtures/optim/<name>.json and test/fixtures/losses/<name>.json, each folder
with an index.json listing the names. Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_optim_fixtures.py

Output is deterministic: each case seeds torch from a checksum of its own name.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from fixture_json import clear_json, seed_for, tensor_json, write_json

ROOT = Path(__file__).resolve().parent.parent
OPTIM_DIR = ROOT / "test" / "fixtures" / "optim"
LOSSES_DIR = ROOT / "test" / "fixtures" / "losses"

STEPS = 6
PARAM_SHAPE = (3, 4)


def int_tensor_json(t: torch.Tensor) -> dict[str, Any]:
    return {"shape": list(t.shape), "data": [int(v) for v in t.flatten().tolist()]}


def scalar_json(t: torch.Tensor) -> float | None:
    v = float(t.detach().double().item())
    return v if math.isfinite(v) else None


# ---------------------------------------------------------------------------
# Optimisers
# ---------------------------------------------------------------------------


def fmt(v: float) -> str:
    return f"{v:g}"


def optimizer_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, optimizer, camelCase options); options map one to one onto torch's arguments."""
    cases: list[tuple[str, str, dict[str, Any]]] = []
    for momentum, wd, nesterov in [
        (0.0, 0.0, False),
        (0.0, 0.01, False),
        (0.9, 0.0, False),
        (0.9, 0.01, False),
        (0.9, 0.0, True),
        (0.9, 0.01, True),
    ]:
        opts = {"lr": 0.1, "momentum": momentum, "dampening": 0.0, "weightDecay": wd, "nesterov": nesterov}
        name = f"sgd_m{fmt(momentum)}_wd{fmt(wd)}" + ("_nesterov" if nesterov else "")
        cases.append((name, "SGD", opts))
    for wd in [0.0, 0.1]:
        for amsgrad in [False, True]:
            opts = {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weightDecay": wd, "amsgrad": amsgrad}
            cases.append((f"adam_wd{fmt(wd)}" + ("_amsgrad" if amsgrad else ""), "Adam", opts))
    for wd, amsgrad in [(0.01, False), (0.1, False), (0.01, True)]:
        opts = {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weightDecay": wd, "amsgrad": amsgrad}
        cases.append((f"adamw_wd{fmt(wd)}" + ("_amsgrad" if amsgrad else ""), "AdamW", opts))
    for momentum in [0.0, 0.9]:
        for centered in [False, True]:
            for wd in [0.0, 0.1]:
                opts = {
                    "lr": 1e-2,
                    "alpha": 0.99,
                    "eps": 1e-8,
                    "weightDecay": wd,
                    "momentum": momentum,
                    "centered": centered,
                }
                name = f"rmsprop_m{fmt(momentum)}_wd{fmt(wd)}" + ("_centered" if centered else "")
                cases.append((name, "RMSprop", opts))
    return cases


def make_optimizer(kind: str, params: list[torch.Tensor], o: dict[str, Any]) -> torch.optim.Optimizer:
    # foreach=False: the plain per-tensor loop, the one the TypeScript code mirrors.
    if kind == "SGD":
        return torch.optim.SGD(
            params,
            lr=o["lr"],
            momentum=o["momentum"],
            dampening=o["dampening"],
            weight_decay=o["weightDecay"],
            nesterov=o["nesterov"],
            foreach=False,
        )
    if kind in ("Adam", "AdamW"):
        cls = torch.optim.Adam if kind == "Adam" else torch.optim.AdamW
        return cls(
            params,
            lr=o["lr"],
            betas=tuple(o["betas"]),
            eps=o["eps"],
            weight_decay=o["weightDecay"],
            amsgrad=o["amsgrad"],
            foreach=False,
        )
    if kind == "RMSprop":
        return torch.optim.RMSprop(
            params,
            lr=o["lr"],
            alpha=o["alpha"],
            eps=o["eps"],
            weight_decay=o["weightDecay"],
            momentum=o["momentum"],
            centered=o["centered"],
            foreach=False,
        )
    raise ValueError(f"unknown optimizer {kind}")


def optimizer_fixture(name: str, kind: str, opts: dict[str, Any]) -> dict[str, Any]:
    seed = seed_for(name)
    torch.manual_seed(seed)
    init = torch.randn(*PARAM_SHAPE)
    grads = [torch.randn(*PARAM_SHAPE) for _ in range(STEPS)]
    p = torch.nn.Parameter(init.clone())
    opt = make_optimizer(kind, [p], opts)
    history = []
    for g in grads:
        opt.zero_grad()
        p.grad = g.clone()
        opt.step()
        history.append(p.detach().clone())
    return {
        "name": name,
        "optimizer": kind,
        "seed": seed,
        "options": opts,
        "init": tensor_json(init),
        "grads": [tensor_json(g) for g in grads],
        "params": [tensor_json(h) for h in history],
    }


def clip_fixture(max_norm: float) -> dict[str, Any]:
    name = f"clip_grad_norm_max{fmt(max_norm)}"
    seed = seed_for(name)
    torch.manual_seed(seed)
    shapes = [(3, 4), (5,), (2, 3)]
    params = [torch.nn.Parameter(torch.randn(*s)) for s in shapes]
    for p in params:
        p.grad = torch.randn(*p.shape)
    before = [p.grad.clone() for p in params]
    total = torch.nn.utils.clip_grad_norm_(params, max_norm=max_norm, norm_type=2.0)
    return {
        "name": name,
        "function": "clip_grad_norm_",
        "seed": seed,
        "options": {"maxNorm": max_norm, "normType": 2},
        "gradsBefore": [tensor_json(g) for g in before],
        "totalNorm": scalar_json(total),
        "gradsAfter": [tensor_json(p.grad) for p in params],
    }


# ---------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------


def cross_entropy_fixture(
    name: str,
    reduction: str,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    forced: dict[int, int] | None = None,
    all_ignored: bool = False,
) -> dict[str, Any]:
    seed = seed_for(name)
    torch.manual_seed(seed)
    N, C = 6, 5
    logits = torch.randn(N, C).requires_grad_(True)
    target = torch.randint(0, C, (N,))
    for i, v in (forced or {}).items():
        target[i] = v
    if all_ignored:
        target.fill_(ignore_index)
    loss = F.cross_entropy(
        logits, target, reduction=reduction, ignore_index=ignore_index, label_smoothing=label_smoothing
    )
    loss.backward()
    return {
        "name": name,
        "loss": "cross_entropy",
        "seed": seed,
        "options": {"reduction": reduction, "ignoreIndex": ignore_index, "labelSmoothing": label_smoothing},
        "input": tensor_json(logits),
        "target": int_tensor_json(target),
        "value": scalar_json(loss),
        "gradInput": tensor_json(logits.grad),
    }


def mse_fixture(name: str, reduction: str) -> dict[str, Any]:
    seed = seed_for(name)
    torch.manual_seed(seed)
    x = torch.randn(4, 3).requires_grad_(True)
    y = torch.randn(4, 3)
    loss = F.mse_loss(x, y, reduction=reduction)
    loss.backward()
    return {
        "name": name,
        "loss": "mse_loss",
        "seed": seed,
        "options": {"reduction": reduction},
        "input": tensor_json(x),
        "target": tensor_json(y),
        "value": scalar_json(loss),
        "gradInput": tensor_json(x.grad),
    }


def loss_fixtures() -> list[dict[str, Any]]:
    two_twos = {1: 2, 4: 2}  # guarantees ignored rows whatever randint drew
    return [
        cross_entropy_fixture("ce_mean", "mean"),
        cross_entropy_fixture("ce_sum", "sum"),
        cross_entropy_fixture("ce_target_minus100_mean", "mean", forced={0: -100, 3: -100}),
        cross_entropy_fixture("ce_ignore2_mean", "mean", ignore_index=2, forced=two_twos),
        cross_entropy_fixture("ce_ignore2_sum", "sum", ignore_index=2, forced=two_twos),
        cross_entropy_fixture("ce_ls0.1_mean", "mean", label_smoothing=0.1),
        cross_entropy_fixture("ce_ls0.1_sum", "sum", label_smoothing=0.1),
        cross_entropy_fixture("ce_ls0.1_ignore2_mean", "mean", ignore_index=2, label_smoothing=0.1, forced=two_twos),
        cross_entropy_fixture("ce_all_ignored_mean", "mean", all_ignored=True),
        cross_entropy_fixture("ce_all_ignored_sum", "sum", all_ignored=True),
        mse_fixture("mse_mean", "mean"),
        mse_fixture("mse_sum", "sum"),
    ]


def main() -> None:
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)

    clear_json(OPTIM_DIR)
    optim_names: list[str] = []
    fixtures = [optimizer_fixture(*c) for c in optimizer_cases()] + [clip_fixture(m) for m in (1.0, 100.0)]
    for fx in fixtures:
        optim_names.append(fx["name"])
        write_json(OPTIM_DIR / f"{fx['name']}.json", fx)
    write_json(OPTIM_DIR / "index.json", optim_names)

    clear_json(LOSSES_DIR)
    loss_names: list[str] = []
    for fx in loss_fixtures():
        loss_names.append(fx["name"])
        write_json(LOSSES_DIR / f"{fx['name']}.json", fx)
    write_json(LOSSES_DIR / "index.json", loss_names)

    for names in (optim_names, loss_names):
        if len(set(names)) != len(names):
            raise RuntimeError("duplicate fixture names")
    print(f"torch {torch.__version__}: wrote {len(optim_names)} optim and {len(loss_names)} loss fixtures")


if __name__ == "__main__":
    main()
