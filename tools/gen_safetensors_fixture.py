#!/usr/bin/python3
"""Golden safetensors files for test/io/safetensors.test.ts, with tensors made by PyTorch.

Writes test/fixtures/safetensors/<case>.safetensors and cases.json, which lists for each file
its metadata and every tensor's dtype, shape and values. Run with Debian's PyTorch:

    /usr/bin/python3 tools/gen_safetensors_fixture.py

Debian ships no python3-safetensors package, so the files are not written by
`safetensors.torch.save_file`: `serialize` below follows the reference library's writer step by
step (safetensors/src/tensor.rs, `prepare` and `serialize`):

- tensors ordered by descending dtype (the order of its `Dtype` enum, which is increasing
  alignment), then by name in UTF-8 byte order;
- header `{"__metadata__": {...}, "<name>": {"dtype", "shape", "data_offsets"}, ...}` as compact
  JSON (serde_json: no spaces, non-ASCII kept as UTF-8), `__metadata__` only when metadata is
  given, padded with spaces to a multiple of 8 bytes;
- u64 little-endian header length, header, then each tensor's bytes, little-endian, C order.

Metadata keys are written sorted (the reference library writes them in hash order).
The element values, including the float32 -> float16/bfloat16 rounding, come from PyTorch.

cases.json values: floats are the exact float32 value as a JSON number, or "NaN", "Infinity",
"-Infinity"; I64 values are decimal strings (they may not fit a double); BOOL values are 0/1.
F16/BF16 tensors also carry `source`: the float32 values that PyTorch rounded, so a test can
check that our writer rounds them to the same bits.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "test" / "fixtures" / "safetensors"

# The reference library's Dtype enum, in declaration order (= increasing alignment).
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]

TORCH_DTYPES = {
    torch.bool: "BOOL",
    torch.uint8: "U8",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int32: "I32",
    torch.float32: "F32",
    torch.float64: "F64",
    torch.int64: "I64",
}


def st_dtype(t: torch.Tensor) -> str:
    return TORCH_DTYPES[t.dtype]


def tensor_bytes(t: torch.Tensor) -> bytes:
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        # numpy has no bfloat16: take the raw 16-bit patterns instead.
        return t.view(torch.int16).numpy().tobytes()
    if t.dtype == torch.bool:
        return t.to(torch.uint8).numpy().tobytes()
    return t.numpy().tobytes()


def serialize(tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None) -> bytes:
    items = sorted(tensors.items(), key=lambda kv: (-DTYPE_ORDER.index(st_dtype(kv[1])), kv[0].encode("utf-8")))
    header: dict[str, Any] = {}
    if metadata is not None:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata, key=lambda k: k.encode("utf-8"))}
    chunks: list[bytes] = []
    offset = 0
    for name, t in items:
        data = tensor_bytes(t)
        header[name] = {"dtype": st_dtype(t), "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def json_float(v: float) -> float | str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def values_json(t: torch.Tensor) -> list[Any]:
    flat = t.flatten()
    if t.dtype == torch.int64:
        return [str(int(v)) for v in flat.tolist()]
    if t.dtype == torch.bool:
        return [int(v) for v in flat.tolist()]
    if t.dtype.is_floating_point:
        return [json_float(v) for v in flat.double().tolist()]
    return [int(v) for v in flat.tolist()]


def f32(values: list[float]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float32)


def mixed_case() -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor], dict[str, str]]:
    """Every supported dtype, awkward names and shapes, and float16/bfloat16 rounding corners."""
    g = torch.Generator().manual_seed(20240607)
    inf = float("inf")
    nan = float("nan")
    # float16: max, just below/at the round-to-infinity boundary, ties to even, smallest subnormal,
    # half of it (ties to zero), a subnormal, -0, infinities and NaN.
    f16_source = f32([0.0, -0.0, 1.0, -2.5, 65504.0, 65519.0, 65520.0, 1e6, 1 + 2**-11, 1 + 3 * 2**-11,
                      2**-24, 2**-25, 1.5 * 2**-25, 3 * 2**-24 + 2**-26, 6.1e-5, -1e-7, inf, -inf, nan, 0.1, 1 / 3])
    # bfloat16: ties to even, float32 max (rounds to infinity), a float32 subnormal, infinities.
    # No NaN: PyTorch's vectorised and scalar paths give it different bits.
    bf16_source = f32([0.0, -0.0, 1.0, 1 + 2**-8, 1 + 3 * 2**-8, 3.1415927, -1e-3, 3.4028234663852886e38,
                       1e-40, 65504.0, inf, -inf, 0.1, -1 / 3])
    sources = {"half.weights": f16_source, "brain.weights": bf16_source}
    tensors: dict[str, torch.Tensor] = {
        "lstm.weight_ih_l0": torch.randn(8, 3, generator=g),
        "lstm.bias_ih_l0": torch.randn(8, generator=g),
        "a.10": torch.randn(2, 2, generator=g),
        "a.9": torch.randn(3, generator=g),
        "B": f32([inf, -inf, nan, -0.0, 1e-45, 3.4028234663852886e38]),
        "émbedding": torch.randn(2, 1, generator=g),
        "scalar": torch.tensor(3.5, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "double": torch.randn(2, 2, generator=g, dtype=torch.float64),
        "counts": torch.tensor([[-(2**31), 2**31 - 1, 0], [7, -7, 123456]], dtype=torch.int32),
        "step": torch.tensor([0, -5, 2**53 + 1, -(2**62), 2**63 - 1], dtype=torch.int64),
        "tokens": torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
        "mask": torch.tensor([[True, False], [False, True]]),
        "half.weights": f16_source.half(),
        "brain.weights": bf16_source.bfloat16(),
    }
    metadata = {"format": "pt", "recurrent.note": 'ünïcode, "quotes", a\ttab and a\nnewline', "epoch": "3"}
    return tensors, sources, metadata


def write_case(name: str, tensors: dict[str, torch.Tensor], sources: dict[str, torch.Tensor], metadata: dict[str, str] | None) -> dict[str, Any]:
    file = f"{name}.safetensors"
    (OUT_DIR / file).write_bytes(serialize(tensors, metadata))
    entries = []
    for tname, t in tensors.items():
        entry: dict[str, Any] = {"name": tname, "dtype": st_dtype(t), "shape": list(t.shape), "values": values_json(t)}
        if tname in sources:
            entry["source"] = values_json(sources[tname])
        entries.append(entry)
    return {"file": file, "metadata": metadata, "tensors": entries}


def main() -> None:
    if sys.byteorder != "little":
        raise SystemExit("gen_safetensors_fixture.py: numpy's tobytes() is used as little-endian; run on a little-endian host")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    tensors, sources, metadata = mixed_case()
    cases = [
        write_case("torch_written", tensors, sources, metadata),
        write_case("empty", {}, {}, None),
        write_case("metadata_only", {}, {}, {"framework": "pt"}),
        write_case("single_f32", {"attn.0": torch.arange(6, dtype=torch.float32).reshape(1, 2, 3)}, {}, None),
    ]
    (OUT_DIR / "cases.json").write_text(json.dumps({"generator": "tools/gen_safetensors_fixture.py", "torch": torch.__version__, "cases": cases}, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} cases to {OUT_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
