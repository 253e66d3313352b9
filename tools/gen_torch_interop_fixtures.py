#!/usr/bin/python3
"""Golden fixtures for the PyTorch interop tests (test/io/interop/pytorch*.test.ts).

    /usr/bin/python3 tools/gen_torch_interop_fixtures.py

Writes test/fixtures/interop/pytorch/:

- models: for a matrix of nn.LSTM / nn.GRU / nn.RNN (tanh, relu), 1-2 layers, uni- and
  bidirectional, with and without bias, time- and batch-first, LSTM with proj_size, plus
  Embedding + LSTM + Linear language models (named children and nn.Sequential) and a nested
  container: `<case>.pt` (torch.save of the state dict, the default ZIP format), `<case>.safetensors`
  (the same tensors; Debian has no safetensors package, so written by gen_safetensors_fixture's
  reimplementation of the reference writer) and `<case>.json` (options, input, initial state,
  the expected output and final states);
- formats: state dicts that exercise the reader: non-contiguous and offset views, float16,
  bfloat16, float64, integer and bool tensors, pickle protocol 4, Parameters (`<case>.pt` and
  `<case>.json` with every tensor's dtype, shape and values);
- refused: files that must be rejected: a pickle calling os.system, the legacy (pre-1.6) format,
  a re-zipped (deflated) archive.

Deterministic (torch seeded per case from the case name, one thread, float32), except
refused_legacy.pt: the legacy format names its storages by memory address, so its bytes differ
from run to run (the test only checks that it is refused).
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_json import clear_json, seed_for, tensor_json, write_json  # noqa: E402
from gen_safetensors_fixture import serialize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "interop" / "pytorch"

I, H, T, B = 3, 4, 5, 2


def save_both(name: str, sd: "OrderedDict[str, torch.Tensor]") -> None:
    torch.save(sd, OUT / f"{name}.pt")
    (OUT / f"{name}.safetensors").write_bytes(serialize({k: v.detach().contiguous() for k, v in sd.items()}, {"format": "pt"}))


def layer_case(cell: str, layers: int, bidir: bool, bias: bool, batch_first: bool, proj: int) -> dict:
    name = f"{cell}_l{layers}_{'bi' if bidir else 'uni'}_{'bias' if bias else 'nobias'}_{'bf' if batch_first else 'tf'}" + (f"_proj{proj}" if proj else "")
    torch.manual_seed(seed_for(name))
    kw = dict(input_size=I, hidden_size=H, num_layers=layers, bias=bias, batch_first=batch_first, bidirectional=bidir)
    if cell == "lstm":
        m = nn.LSTM(proj_size=proj, **kw)
    elif cell == "gru":
        m = nn.GRU(**kw)
    else:
        m = nn.RNN(nonlinearity="relu" if cell == "rnn_relu" else "tanh", **kw)
    D = 2 if bidir else 1
    P = proj or H
    x = torch.randn(B, T, I) if batch_first else torch.randn(T, B, I)
    h0 = torch.randn(layers * D, B, P)
    c0 = torch.randn(layers * D, B, H) if cell == "lstm" else None
    with torch.no_grad():
        if cell == "lstm":
            y, (hn, cn) = m(x, (h0, c0))
        else:
            y, hn = m(x, h0)
            cn = None
    save_both(name, m.state_dict())
    write_json(
        OUT / f"{name}.json",
        {
            "kind": "layer",
            "cell": cell,
            "nonlinearity": "relu" if cell == "rnn_relu" else "tanh",
            "batchFirst": batch_first,
            "config": {"inputSize": I, "hiddenSize": H, "numLayers": layers, "bias": bias, "bidirectional": bidir, "projSize": proj},
            "input": tensor_json(x),
            "h0": tensor_json(h0),
            "c0": tensor_json(c0),
            "output": tensor_json(y),
            "hN": tensor_json(hn),
            "cN": tensor_json(cn),
        },
    )
    return name


class CharLM(nn.Module):
    """d2l's RNNModel shape with a learned embedding: ids -> embedding -> rnn -> linear."""

    def __init__(self, vocab: int, embed: int, hidden: int, cell: str):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.rnn = nn.LSTM(embed, hidden) if cell == "lstm" else nn.GRU(embed, hidden)
        self.linear = nn.Linear(hidden, vocab)

    def forward(self, x, state=None):
        y, state = self.rnn(self.embedding(x), state)
        return self.linear(y), state


class OneHotLM(nn.Module):
    """d2l's RNNModel: features in, rnn, linear."""

    def __init__(self, vocab: int, hidden: int):
        super().__init__()
        self.rnn = nn.GRU(vocab, hidden, num_layers=2)
        self.linear = nn.Linear(hidden, vocab)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(I, H, bidirectional=True)


class Nested(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Linear(2 * H, 2)


def model_cases() -> list[str]:
    names = []
    vocab = 10

    name = "charlm_embedding_lstm_linear"
    torch.manual_seed(seed_for(name))
    m = CharLM(vocab, 6, 8, "lstm")
    x = torch.randint(0, vocab, (T, B))
    with torch.no_grad():
        y, (hn, cn) = m(x)
    save_both(name, m.state_dict())
    write_json(OUT / f"{name}.json", {"kind": "charlm", "input": tensor_json(x.float()), "output": tensor_json(y), "hN": tensor_json(hn), "cN": tensor_json(cn)})
    names.append(name)

    name = "onehot_gru_linear"
    torch.manual_seed(seed_for(name))
    m = OneHotLM(vocab, 7)
    x = torch.nn.functional.one_hot(torch.randint(0, vocab, (T, B)), vocab).float()
    with torch.no_grad():
        yr, hn = m.rnn(x)
        y = m.linear(yr)
    save_both(name, m.state_dict())
    write_json(OUT / f"{name}.json", {"kind": "charlm", "input": tensor_json(x), "output": tensor_json(y), "hN": tensor_json(hn), "cN": None})
    names.append(name)

    name = "sequential_embedding_lstm_linear"
    torch.manual_seed(seed_for(name))
    m = nn.Sequential(nn.Embedding(vocab, 5), nn.LSTM(5, 6), nn.Linear(6, vocab))
    x = torch.randint(0, vocab, (T, B))
    with torch.no_grad():
        y = m[2](m[1](m[0](x))[0])
    save_both(name, m.state_dict())
    write_json(OUT / f"{name}.json", {"kind": "sequential", "input": tensor_json(x.float()), "output": tensor_json(y)})
    names.append(name)

    name = "nested_encoder_head"
    torch.manual_seed(seed_for(name))
    m = Nested()
    x = torch.randn(T, B, I)
    with torch.no_grad():
        yr, hn = m.encoder.rnn(x)
        y = m.head(yr)
    save_both(name, m.state_dict())
    write_json(OUT / f"{name}.json", {"kind": "nested", "input": tensor_json(x), "output": tensor_json(y), "hN": tensor_json(hn)})
    names.append(name)
    return names


def typed_json(t: torch.Tensor) -> dict:
    out = tensor_json(t.detach().double()) if t.is_floating_point() else {"shape": list(t.shape), "data": [int(v) for v in t.flatten().tolist()]}
    out["dtype"] = str(t.dtype).replace("torch.", "")
    return out


def format_cases() -> list[str]:
    names = []

    name = "views_and_dtypes"
    torch.manual_seed(seed_for(name))
    base = torch.randn(40)
    w = torch.randn(3, 5)
    sd = OrderedDict()
    sd["transposed"] = w.t()  # non-contiguous: stride (1, 5)
    sd["offset_view"] = base[7:19].view(3, 4)  # storage offset 7 into a 40-element storage
    sd["strided"] = base.view(8, 5)[::2, 1::2]  # steps in both dims
    sd["expanded"] = torch.randn(1, 3).expand(4, 3)  # stride 0
    sd["half"] = torch.randn(2, 3).half()
    sd["bfloat"] = torch.randn(2, 3).bfloat16()
    sd["double"] = torch.randn(3).double()
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0, 3)
    sd["num_batches_tracked"] = torch.tensor(7)
    sd["int32"] = torch.tensor([-3, 0, 5], dtype=torch.int32)
    sd["uint8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    sd["mask"] = torch.tensor([True, False, True])
    torch.save(sd, OUT / f"{name}.pt")
    write_json(OUT / f"{name}.json", {"tensors": {k: typed_json(v) for k, v in sd.items()}})
    names.append(name)

    name = "parameters_protocol4"
    torch.manual_seed(seed_for(name))
    m = nn.LSTM(I, H)
    params = OrderedDict(m.named_parameters())  # nn.Parameter values: _rebuild_parameter
    torch.save(params, OUT / f"{name}.pt", pickle_protocol=4)
    write_json(OUT / f"{name}.json", {"tensors": {k: typed_json(v) for k, v in params.items()}})
    names.append(name)

    name = "checkpoint_nested"
    torch.manual_seed(seed_for(name))
    m = nn.GRU(I, H)
    ckpt = {"epoch": 3, "lr": 0.5, "model": m.state_dict(), "note": "trained"}
    torch.save(ckpt, OUT / f"{name}.pt")
    write_json(OUT / f"{name}.json", {"key": "model", "tensors": {k: typed_json(v) for k, v in m.state_dict().items()}})
    names.append(name)
    return names


def zip_with(name: str, pickle_bytes: bytes, compress: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as z:
        for n, data in [(f"{name}/data.pkl", pickle_bytes), (f"{name}/version", b"3\n")]:
            info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compress
            z.writestr(info, data)
    return buf.getvalue()


def refused_cases() -> list[str]:
    # A pickle that would run `os.system("echo pwned")` on load: GLOBAL, a tuple, REDUCE.
    evil = b"\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."
    (OUT / "refused_os_system.pt").write_bytes(zip_with("refused_os_system", evil))
    # A builtin reached through STACK_GLOBAL (protocol 4).
    evil4 = b"\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x94\x8c\x04eval\x94\x93\x94\x8c\x011\x94\x85\x94R\x94."
    (OUT / "refused_builtins_eval.pt").write_bytes(zip_with("refused_builtins_eval", evil4))
    torch.manual_seed(seed_for("refused"))
    sd = nn.GRU(I, H).state_dict()
    torch.save(sd, OUT / "refused_legacy.pt", _use_new_zipfile_serialization=False)
    buf = io.BytesIO()
    torch.save(sd, buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            i2 = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            i2.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(i2, src.read(info.filename))
    (OUT / "refused_deflated.pt").write_bytes(out.getvalue())
    return ["refused_os_system", "refused_builtins_eval", "refused_legacy", "refused_deflated"]


def main() -> None:
    torch.set_num_threads(1)
    clear_json(OUT)
    for old in list(OUT.glob("*.pt")) + list(OUT.glob("*.safetensors")):
        old.unlink()
    layers = []
    for cell in ["lstm", "gru", "rnn_tanh", "rnn_relu"]:
        for n_layers in [1, 2]:
            for bidir in [False, True]:
                for bias in [True, False]:
                    layers.append(layer_case(cell, n_layers, bidir, bias, (n_layers == 2) != bidir, 0))
    for n_layers in [1, 2]:
        for bidir in [False, True]:
            layers.append(layer_case("lstm", n_layers, bidir, True, bidir, 2))
    index = {"generator": "tools/gen_torch_interop_fixtures.py", "torch": torch.__version__, "layers": layers, "models": model_cases(), "formats": format_cases(), "refused": refused_cases()}
    write_json(OUT / "index.json", index)
    print(f"wrote {len(layers)} layer cases, {len(index['models'])} models, {len(index['formats'])} format cases, {len(index['refused'])} refused files to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
