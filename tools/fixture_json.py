"""JSON helpers shared by the fixture generators in tools/: the tensor format the TypeScript
tests read, per-case seeds, deterministic file writing."""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path
from typing import Any

import torch


def tensor_json(t: torch.Tensor | None) -> dict[str, Any] | None:
    """{"shape", "data"}; float32 values become the exact double; NaN/inf become null."""
    if t is None:
        return None
    values = t.detach().double().flatten().tolist()
    data = [v if math.isfinite(v) else None for v in values]
    return {"shape": list(t.shape), "data": data}


def seed_for(name: str) -> int:
    """A seed from the case name, so adding or reordering cases leaves the others unchanged."""
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


def write_json(path: Path, obj: Any) -> None:
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def clear_json(folder: Path) -> None:
    """Removes fixtures of cases that no longer exist."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
