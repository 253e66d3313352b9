/**
 * A model of this library as the two files a PyTorch user needs:
 *
 * - `weights`: safetensors with the state dict under PyTorch's names (float32), which
 *   `model.load_state_dict(safetensors.torch.load_file("model.safetensors"))` takes as is;
 * - `modelPy`: a `model.py` defining `Model`, an `nn.Module` with the same sub-module names and
 *   constructor arguments (from each layer's `getConfig()`), plus `load_model(path)`, which
 *   reads the weights (with the safetensors package when installed, else by a reader in the file)
 *   and loads them strictly.
 *
 * Mapped: LSTM, GRU, RNN (and `RecurrentLayer` of those cells) → nn.LSTM/nn.GRU/nn.RNN, Linear,
 * Embedding, Dropout; PeepholeLSTM, LayerNormLSTM and Highway, which PyTorch lacks, → classes
 * written into model.py with the same math and parameter names (python-layers.ts); `Sequential` → an nn.Sequential subclass with the same indices whose
 * forward passes a recurrent layer's output on, as ours does; `TorchModel` → an nn.Module with
 * the same children (and the language-model forward when it has that shape). Anything else is an
 * error naming the module.
 */
import type { Module } from "../../../nn/module.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Dropout } from "../../../nn/layers/dropout.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import { Sequential } from "../../../models/sequential.js";
import { serializeSafetensors, type SafeTensor } from "../../safetensors.js";
import { missingRecurrentBiases } from "../recurrent-export.js";
import { describeActivations, nonDefaultActivations } from "../../../nn/cells/variant.js";
import { Highway } from "../../../nn/layers/highway.js";
import { TorchModel } from "./torch-model.js";
import { pythonHelpers, type PythonHelper } from "./python-layers.js";

/** What `exportPyTorch` produces: the two files' contents. */
export interface PyTorchExport {
  /** model.safetensors: the state dict, float32, PyTorch names. */
  weights: Uint8Array;
  /** model.py: the matching `nn.Module` and `load_model()`. */
  modelPy: string;
}

const PY_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);

/** True when `name` can be written as `self.name` in Python. */
function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_KEYWORDS.has(name);
}

function pyBool(b: boolean): string {
  return b ? "True" : "False";
}

function pyNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`exportPyTorch: ${x} cannot be written to model.py`);
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

const RECURRENT_CLASSES: Record<string, string> = { lstm: "nn.LSTM", gru: "nn.GRU", rnn_tanh: "nn.RNN", rnn_relu: "nn.RNN", peephole_lstm: "PeepholeLSTM", layernorm_lstm: "LayerNormLSTM" };

interface Emitter {
  classes: string[];
  helpers: Set<PythonHelper>;
}

/** The Python expression that builds `m`; container classes are appended to `out.classes`. */
function pyExpr(m: Module, path: string, className: string, out: Emitter): string {
  const where = path === "" ? "the model" : `sub-module ${JSON.stringify(path)}`;
  if (m instanceof RNNBase) {
    const cls = RECURRENT_CLASSES[m.cell];
    if (cls === undefined) {
      throw new Error(
        `exportPyTorch: ${where} is ${m.describe()} with cell "${m.cell}", which PyTorch has no layer for; exported cells are ${Object.keys(RECURRENT_CLASSES).join(", ")}`,
      );
    }
    if (m.activations !== null && nonDefaultActivations(m.spec, m.activations)) {
      throw new Error(
        `exportPyTorch: ${where} is ${m.describe()} with ${describeActivations(m.spec, m.activations)}; PyTorch's ${cls} has fixed nonlinearities (sigmoid gates, tanh); export to ONNX instead, whose recurrent operators take other activations`,
      );
    }
    if (cls === "PeepholeLSTM" || cls === "LayerNormLSTM") out.helpers.add(cls);
    const args = [
      `input_size=${m.inputSize}`,
      `hidden_size=${m.hiddenSize}`,
      `num_layers=${m.numLayers}`,
      `bias=${pyBool(m.bias)}`,
      `batch_first=${pyBool(m.batchFirst)}`,
      `dropout=${pyNumber(m.dropout)}`,
      `bidirectional=${pyBool(m.bidirectional)}`,
    ];
    if (m.cell === "lstm") args.push(`proj_size=${m.projSize}`);
    if (cls === "nn.RNN") args.push(`nonlinearity="${m.cell === "rnn_relu" ? "relu" : "tanh"}"`);
    return `${cls}(${args.join(", ")})`;
  }
  if (m instanceof Linear) return `nn.Linear(in_features=${m.inFeatures}, out_features=${m.outFeatures}, bias=${pyBool(m.bias !== null)})`;
  if (m instanceof Embedding) return `nn.Embedding(num_embeddings=${m.opts.numEmbeddings}, embedding_dim=${m.opts.embeddingDim})`;
  if (m instanceof Dropout) return `nn.Dropout(p=${pyNumber(m.p)})`;
  if (m instanceof Highway) {
    out.helpers.add("Highway");
    return `Highway(size=${m.size}, num_layers=${m.layers.length}, activation="${m.activation}")`;
  }
  if (m instanceof Sequential) {
    const items = m.layers().map((layer, k) => pyExpr(layer, path === "" ? String(k) : `${path}.${k}`, `${className}_${k}`, out));
    out.classes.push(
      [
        `class ${className}(nn.Sequential):`,
        `    """${path === "" ? "The model" : `Sub-module ${path}`}: layers in order; a recurrent layer passes its output (not its state) on."""`,
        "",
        "    def __init__(self):",
        `        super().__init__(${items.map((e) => `\n            ${e},`).join("")}\n        )`,
        "",
        "    def forward(self, x):",
        "        for layer in self:",
        "            x = layer(x)",
        "            if isinstance(x, tuple):",
        "                x = x[0]",
        "        return x",
      ].join("\n"),
    );
    return `${className}()`;
  }
  if (m instanceof TorchModel) {
    const lines = [
      `class ${className}(nn.Module):`,
      `    """${path === "" ? "The model" : `Sub-module ${path}`}, with the sub-module names of its state dict."""`,
      "",
      "    def __init__(self):",
      "        super().__init__()",
    ];
    const attr = (name: string): string => (isIdentifier(name) ? `self.${name}` : `getattr(self, "${name}")`);
    for (const name of m.childNames()) {
      const expr = pyExpr(m.child(name), path === "" ? name : `${path}.${name}`, `${className}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`, out);
      lines.push(isIdentifier(name) ? `        self.${name} = ${expr}` : `        self.add_module("${name}", ${expr})`);
    }
    const parts = m.languageModelParts();
    lines.push("");
    if (parts !== null) {
      const nameOf = (child: Module): string => m.childNames().find((n) => m.child(n) === child) ?? "";
      const x = parts.embedding === null ? "x" : `${attr(nameOf(parts.embedding))}(x)`;
      lines.push(
        "    def forward(self, x, state=None):",
        `        """${parts.embedding === null ? "x: features" : "x: token ids"}; returns (logits, state) as recurrent's TorchModel.forward."""`,
        `        y, state = ${attr(nameOf(parts.rnn))}(${x}, state)`,
        `        return ${attr(nameOf(parts.linear))}(y), state`,
      );
    } else {
      lines.push(
        "    def forward(self, *args, **kwargs):",
        `        raise NotImplementedError("what this container computes is not stored with its weights; call its sub-modules by name")`,
      );
    }
    out.classes.push(lines.join("\n"));
    return `${className}()`;
  }
  throw new Error(
    `exportPyTorch: ${where} is ${m.describe()}, which has no PyTorch counterpart here; exported are LSTM, GRU, RNN, PeepholeLSTM, LayerNormLSTM, Highway, Linear, Embedding, Dropout, Sequential and TorchModel`,
  );
}

const HEADER = `"""The model exported by recurrent's exportPyTorch: Model matches model.safetensors.

    from model import load_model
    model = load_model()            # reads model.safetensors next to this file
"""
import json
import os
import struct

import torch
from torch import nn
`;

const LOADER = `
def load_safetensors(path):
    """The tensors of a safetensors file: by the safetensors package when installed, else read here."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        return load_file(path)
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        buf = bytearray(raw[8 + n + start : 8 + n + end])
        flat = torch.frombuffer(buf, dtype=torch.float32) if len(buf) > 0 else torch.empty(0)
        out[name] = flat.reshape(info["shape"]).clone()
    return out


def load_model(path=None):
    """Model() with the weights of path (default: model.safetensors next to this file), loaded strictly."""
    if path is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.safetensors")
    model = Model()
    model.load_state_dict(load_safetensors(path), strict=True)
    return model.eval()


if __name__ == "__main__":
    print(load_model())
`;

/**
 * `model` as PyTorch files (see this file's comment). Throws, naming the module, for a layer
 * PyTorch has no counterpart for here, before producing anything.
 */
export function exportPyTorch(model: Module): PyTorchExport {
  const out: Emitter = { classes: [], helpers: new Set() };
  const expr = pyExpr(model, "", "Model", out);
  // A single layer is subclassed, so that Model() is that layer with its arguments fixed.
  if (!(model instanceof Sequential || model instanceof TorchModel)) {
    const cls = expr.slice(0, expr.indexOf("("));
    const args = expr.slice(expr.indexOf("(") + 1, -1);
    out.classes.push([`class Model(${cls}):`, '    """The model: one layer with the arguments it was exported with."""', "", "    def __init__(self):", `        super().__init__(${args})`].join("\n"));
  }
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, p] of Object.entries(model.stateDict())) tensors[name] = { dtype: "F32", shape: [...p.shape], data: p.data };
  // A layer with one bias (recurrentBias: false) gets zero bias_hh tensors: PyTorch's layers always hold both.
  for (const [path, m] of model.namedModules()) {
    if (!(m instanceof RNNBase)) continue;
    const G = m.spec.gatesPerUnit * m.hiddenSize;
    for (const name of missingRecurrentBiases(m, path === "" ? "" : `${path}.`)) tensors[name] = { dtype: "F32", shape: [G], data: new Float32Array(G) };
  }
  const helpers = pythonHelpers(out.helpers);
  const modelPy = `${HEADER}\n\n${helpers === "" ? "" : `${helpers}\n\n\n`}${out.classes.join("\n\n\n")}\n\n${LOADER}`;
  return { weights: serializeSafetensors(tensors, { format: "pt" }), modelPy };
}
