#!/usr/bin/python3
"""ONNX files exported by PyTorch (torch.onnx.export, opset 14) for test/io/interop/onnx-import.test.ts.

Writes test/fixtures/interop/onnx/<case>.onnx and <case>.json: the model's class and options in
the library's terms, its PyTorch state_dict, an input and PyTorch's output for it. Run with
Debian's PyTorch (torch.onnx.export needs no `onnx` package):

    /usr/bin/python3 tools/gen_onnx_fixtures.py
"""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_json import clear_json, seed_for, tensor_json, write_json  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "interop" / "onnx"


class EmbedRnnLinear(nn.Module):
    """Embedding -> recurrent layer -> Linear, as the library's Sequential of the three."""

    def __init__(self, rnn: nn.Module, vocab: int, dim: int, out: int) -> None:
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.rnn = rnn
        hidden = rnn.hidden_size * (2 if rnn.bidirectional else 1)
        self.lin = nn.Linear(hidden, out)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        y, _ = self.rnn(self.emb(ids))
        return self.lin(y)


def rnn_config(kind: str, m: nn.Module) -> dict:
    cfg = {
        "inputSize": m.input_size,
        "hiddenSize": m.hidden_size,
        "numLayers": m.num_layers,
        "bias": m.bias,
        "batchFirst": m.batch_first,
        "dropout": m.dropout,
        "bidirectional": m.bidirectional,
    }
    if kind == "RNN":
        cfg["nonlinearity"] = m.nonlinearity
    return cfg


LAYERS = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}

# name: (layer kind, constructor options, with initial states as graph inputs)
RECURRENT_CASES = {
    "lstm_1layer": ("LSTM", dict(input_size=3, hidden_size=4), False),
    "lstm_2layer_bi_states": ("LSTM", dict(input_size=3, hidden_size=4, num_layers=2, bidirectional=True), True),
    "lstm_batch_first_nobias": ("LSTM", dict(input_size=3, hidden_size=5, batch_first=True, bias=False), False),
    "gru_2layer_batch_first": ("GRU", dict(input_size=3, hidden_size=4, num_layers=2, batch_first=True), False),
    "gru_bi_states": ("GRU", dict(input_size=2, hidden_size=3, bidirectional=True), True),
    "rnn_tanh_2layer": ("RNN", dict(input_size=3, hidden_size=4, num_layers=2), False),
    "rnn_relu_bi_nobias": ("RNN", dict(input_size=3, hidden_size=4, bidirectional=True, nonlinearity="relu", bias=False), False),
    "gru_nobias_bi_batch_first": ("GRU", dict(input_size=3, hidden_size=4, bidirectional=True, batch_first=True, bias=False), False),
    "rnn_relu_2layer_bi_batch_first_states": ("RNN", dict(input_size=2, hidden_size=3, num_layers=2, bidirectional=True, batch_first=True, nonlinearity="relu"), True),
    "lstm_3layer_batch_first_states": ("LSTM", dict(input_size=2, hidden_size=3, num_layers=3, batch_first=True), True),
}


def export(model: nn.Module, args: tuple, input_names: list[str], output_names: list[str], dynamic: dict) -> bytes:
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, args, f, opset_version=14, input_names=input_names, output_names=output_names, dynamic_axes=dynamic)
    return f.getvalue()


def main() -> None:
    clear_json(OUT)
    for old in OUT.glob("*.onnx"):
        old.unlink()
    for name, (kind, opts, with_states) in RECURRENT_CASES.items():
        torch.manual_seed(seed_for(name))
        m = LAYERS[kind](**opts).eval()
        T, B = 5, 2
        x = torch.randn((B, T, m.input_size) if m.batch_first else (T, B, m.input_size))
        L, D = m.num_layers, 2 if m.bidirectional else 1
        lead = {0: "B", 1: "T"} if m.batch_first else {0: "T", 1: "B"}
        if with_states:
            h0 = torch.randn(L * D, B, m.hidden_size)
            if kind == "LSTM":
                c0 = torch.randn(L * D, B, m.hidden_size)
                args = (x, (h0, c0))
                names, outs = ["input", "h0", "c0"], ["output", "hN", "cN"]
            else:
                args = (x, h0)
                names, outs = ["input", "h0"], ["output", "hN"]
        else:
            args = (x,)
            names, outs = ["input"], ["output", "hN"] + (["cN"] if kind == "LSTM" else [])
        dynamic = {"input": lead, "output": lead}
        with torch.no_grad():
            y, state = m(*args)
        (OUT / f"{name}.onnx").write_bytes(export(m, args, names, outs, dynamic))
        h0j = tensor_json(args[1][0] if kind == "LSTM" and with_states else args[1] if with_states else None)
        c0j = tensor_json(args[1][1]) if kind == "LSTM" and with_states else None
        hN = state[0] if kind == "LSTM" else state
        cN = state[1] if kind == "LSTM" else None
        write_json(
            OUT / f"{name}.json",
            {
                "className": kind,
                "config": rnn_config(kind, m),
                "stateDict": {k: tensor_json(v) for k, v in m.state_dict().items()},
                "input": tensor_json(x),
                "h0": h0j,
                "c0": c0j,
                "output": tensor_json(y),
                "hN": tensor_json(hN),
                "cN": tensor_json(cN),
            },
        )

    # Embedding -> recurrent -> Linear, batch-first ids (B, T) as a language model takes them.
    for name, rnn in {
        "embed_lstm_linear": nn.LSTM(4, 6, batch_first=True),
        "embed_gru_bi_linear": nn.GRU(4, 5, batch_first=True, bidirectional=True),
    }.items():
        torch.manual_seed(seed_for(name))
        for p in rnn.parameters():
            nn.init.uniform_(p, -0.5, 0.5)
        m = EmbedRnnLinear(rnn, vocab=11, dim=4, out=7).eval()
        ids = torch.randint(0, 11, (2, 6))
        with torch.no_grad():
            y = m(ids)
        (OUT / f"{name}.onnx").write_bytes(export(m, (ids,), ["input"], ["output"], {"input": {0: "B", 1: "T"}, "output": {0: "B", 1: "T"}}))
        kind = "LSTM" if isinstance(rnn, nn.LSTM) else "GRU"
        write_json(
            OUT / f"{name}.json",
            {
                "className": "Sequential",
                "layers": [
                    {"className": "Embedding", "config": {"numEmbeddings": 11, "embeddingDim": 4}},
                    {"className": kind, "config": rnn_config(kind, rnn)},
                    {"className": "Linear", "config": {"inFeatures": m.lin.in_features, "outFeatures": 7, "bias": True}},
                ],
                # Sequential's names: layer k's parameters are "k.<name>".
                "stateDict": {
                    **{f"0.{k}": tensor_json(v) for k, v in m.emb.state_dict().items()},
                    **{f"1.{k}": tensor_json(v) for k, v in m.rnn.state_dict().items()},
                    **{f"2.{k}": tensor_json(v) for k, v in m.lin.state_dict().items()},
                },
                "input": tensor_json(ids.float()),
                "output": tensor_json(y),
            },
        )


if __name__ == "__main__":
    main()
