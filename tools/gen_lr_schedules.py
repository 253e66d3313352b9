#!/usr/bin/python3
"""Golden learning rates of PyTorch's epoch schedulers, for test/train/schedules.test.ts.

Writes test/fixtures/train/lr-schedules.json: per case, the scheduler, its options, the lr
before any step and after each of `epochs` calls of step() (with the watched value for
ReduceLROnPlateau), as float64. Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_lr_schedules.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from fixture_json import write_json

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "train" / "lr-schedules.json"

PLATEAU_METRICS = [1.0, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.6, 0.7, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4]

CASES: list[dict[str, Any]] = [
    {"name": "step_3_0.1", "kind": "StepLR", "lr": 0.5, "epochs": 12, "torch": {"step_size": 3, "gamma": 0.1}, "options": {"stepSize": 3, "gamma": 0.1}},
    {"name": "step_1_0.7", "kind": "StepLR", "lr": 1.0, "epochs": 8, "torch": {"step_size": 1, "gamma": 0.7}, "options": {"stepSize": 1, "gamma": 0.7}},
    {"name": "exponential_0.9", "kind": "ExponentialLR", "lr": 0.2, "epochs": 12, "torch": {"gamma": 0.9}, "options": {"gamma": 0.9}},
    {"name": "cosine_10", "kind": "CosineAnnealingLR", "lr": 0.1, "epochs": 35, "torch": {"T_max": 10}, "options": {"tMax": 10}},
    {"name": "cosine_7_min", "kind": "CosineAnnealingLR", "lr": 0.3, "epochs": 30, "torch": {"T_max": 7, "eta_min": 0.01}, "options": {"tMax": 7, "etaMin": 0.01}},
    {"name": "plateau_default", "kind": "ReduceLROnPlateau", "lr": 1.0, "epochs": len(PLATEAU_METRICS), "torch": {"patience": 2, "factor": 0.5}, "options": {"patience": 2, "factor": 0.5}},
    {"name": "plateau_cooldown_abs", "kind": "ReduceLROnPlateau", "lr": 1.0, "epochs": len(PLATEAU_METRICS),
     "torch": {"patience": 1, "factor": 0.3, "cooldown": 2, "threshold": 0.05, "threshold_mode": "abs", "min_lr": 0.05},
     "options": {"patience": 1, "factor": 0.3, "cooldown": 2, "threshold": 0.05, "thresholdMode": "abs", "minLr": 0.05}},
]


def run(case: dict[str, Any]) -> list[float]:
    param = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([param], lr=case["lr"])
    sched = getattr(torch.optim.lr_scheduler, case["kind"])(opt, **case["torch"])
    lrs = [opt.param_groups[0]["lr"]]
    for e in range(case["epochs"]):
        opt.step()
        if case["kind"] == "ReduceLROnPlateau":
            sched.step(PLATEAU_METRICS[e])
        else:
            sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    cases = [{k: v for k, v in c.items() if k != "torch"} | {"lrs": run(c)} for c in CASES]
    write_json(OUT, {"generator": "tools/gen_lr_schedules.py", "torch": torch.__version__, "plateauMetrics": PLATEAU_METRICS, "cases": cases})


if __name__ == "__main__":
    main()
