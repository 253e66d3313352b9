/**
 * From a PyTorch state dict's names and shapes to a model of this library with the same names:
 *
 * - names are grouped by their prefix (`rnn.weight_ih_l0` → module `rnn`, parameter `weight_ih_l0`);
 * - a group with `weight_ih_l0` / `weight_hh_l0` is a recurrent layer: gate rows per hidden unit
 *   4 → LSTM, 3 → GRU, 1 → RNN (tanh unless `nonlinearity` says relu: the weights cannot tell);
 *   `numLayers` from the `_l<k>` suffixes, `bidirectional` from `_reverse`, `bias` from `bias_*`,
 *   `projSize` from `weight_hr`; with the peepholes `weight_ci_l<k>`, `weight_cf_l<k>`,
 *   `weight_co_l<k>` a PeepholeLSTM, with `layernorm_{i,h,c}_{weight,bias}_l<k>` a LayerNormLSTM
 *   (the names `exportPyTorch` writes for those layers; `bias` when any bias is there), whose dicts must hold exactly the layer's parameters;
 * - `weight` (2-D) with `bias` → Linear; `weight` alone → Embedding when its module's name
 *   contains "embed" or is listed in `embeddings`, or when the recurrent layer it feeds (the
 *   next one in a Sequential, the only one in a container) reads its second dimension and not
 *   its first (an Embedding (V, E) feeds E; a Linear (out, in) feeds out); else Linear without bias;
 * - modules holding modules become a `Sequential` (children named 0..n-1) or a `TorchModel`;
 *   a state dict with no dots is one layer, returned as that layer.
 *
 * Integer tensors (e.g. `num_batches_tracked`) are skipped. `batchFirst` cannot be read from
 * weights either: it is an option. Anything else is an error naming the module and its parameters.
 */
import { Module, isLayer } from "../../../nn/module.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { RNN, GRU, LSTM, PeepholeLSTM, LayerNormLSTM } from "../../../nn/layers/rnn.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import { Sequential } from "../../../models/sequential.js";
import { checkOptions, describeArg, type OptionSchema } from "../../../nn/options.js";
import { PyTorchFormatError, quote } from "./errors.js";
import { readTorchStateDict, type ReadStateDictOptions, type TorchStateDict } from "./read.js";
import type { TorchTensor } from "./tensor.js";
import { TorchModel } from "./torch-model.js";

/** A setting for every recurrent module, or per module path ("" for a state dict of one layer). */
export type PerModule<T> = T | Readonly<Record<string, T>>;

export interface ImportPyTorchOptions extends ReadStateDictOptions {
  /** The RNN cells' nonlinearity, which weights cannot tell: "tanh" (default) or "relu", or per module path. */
  nonlinearity?: PerModule<"tanh" | "relu">;
  /** Recurrent layers take (B, T, ·) input, as PyTorch's batch_first; default false, or per module path. */
  batchFirst?: PerModule<boolean>;
  /** Module paths whose lone 2-D `weight` is an Embedding (besides names containing "embed"). */
  embeddings?: readonly string[];
  /** Names (or module paths, covering everything below them) to leave out of the model. */
  ignore?: readonly string[];
}

/**
 * Reads a PyTorch state dict (a `torch.save` ZIP file or safetensors, see `readTorchStateDict`)
 * and builds the model it belongs to, with its weights loaded (the rules are in this file's
 * comment). Returns the layer itself for a state dict of one layer (`nn.LSTM(...).state_dict()`),
 * else a `Sequential` or `TorchModel` whose children have the PyTorch names.
 */
export function importPyTorch(bytes: Uint8Array, options: ImportPyTorchOptions = {}): Module {
  const o = checkImportOptions("importPyTorch", options);
  return stateDictToModel(readTorchStateDict(bytes, o), o);
}

interface Node {
  params: Map<string, TorchTensor>;
  children: Map<string, Node>;
}

/** Builds the model for an already-read state dict (see `importPyTorch`). */
export function stateDictToModel(dict: TorchStateDict, options: ImportPyTorchOptions = {}): Module {
  checkImportOptions("stateDictToModel", options);
  if (!(dict instanceof Map)) throw new Error(`stateDictToModel: expected the Map that readTorchStateDict returns, got ${describeArg(dict)}`);
  const source = options.source ?? "state dict";
  const ignore = options.ignore ?? [];
  const root: Node = { params: new Map(), children: new Map() };
  for (const [name, t] of dict) {
    if (!t.floating) continue;
    if (ignore.some((p) => name === p || name.startsWith(`${p}.`))) continue;
    const parts = name.split(".");
    if (parts.some((p) => p === "")) throw new PyTorchFormatError(`${source}: the name ${quote(name)} has an empty part`);
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.children.get(part);
      if (next === undefined) {
        next = { params: new Map(), children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.params.set(parts[parts.length - 1]!, t);
  }
  if (root.params.size === 0 && root.children.size === 0) throw new PyTorchFormatError(`${source}: the state dict holds no floating-point tensors to map`);
  return build(root, "", source, options);
}

function build(node: Node, path: string, source: string, options: ImportPyTorchOptions): Module {
  const shown = path === "" ? "the top level" : `module ${quote(path)}`;
  if (node.params.size > 0 && node.children.size > 0) {
    throw new PyTorchFormatError(
      `${source}: ${shown} holds both its own parameters (${listNames([...node.params.keys()])}) and sub-modules (${listNames([...node.children.keys()])}); ` +
        "only containers of layers can be mapped (pass ignore: [...] to leave parts out)",
    );
  }
  if (node.params.size > 0) return layerFor(node.params, path, shown, source, options);
  const kids: [string, Module][] = [...node.children].map(([name, child]) => [name, build(child, path === "" ? name : `${path}.${name}`, source, options)]);
  const sequential = kids.every(([name], k) => name === String(k)) && kids.every(([, m]) => isLayer(m));
  const rnns = kids.map(([, m]) => m).filter((m): m is RNNBase => m instanceof RNNBase);
  kids.forEach(([name, m], k) => {
    if (!(m instanceof Linear) || m.bias !== null) return;
    const next = sequential ? kids[k + 1]?.[1] : rnns.length === 1 ? rnns[0] : undefined;
    if (next instanceof RNNBase && next.inputSize === m.inFeatures && next.inputSize !== m.outFeatures) {
      const e = new Embedding({ numEmbeddings: m.outFeatures, embeddingDim: m.inFeatures });
      // Embedding (V, E) and Linear (out, in) store the same (rows, cols) array.
      e.weight.data.set(m.weight.data);
      kids[k] = [name, e];
    }
  });
  if (sequential) {
    const layers = kids.map(([, m]) => m).filter(isLayer);
    return new Sequential(layers);
  }
  return new TorchModel(kids);
}

const RECURRENT_NAME = /^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr|weight_c[ifo]|layernorm_[ihc]_(?:weight|bias))_l(\d+)(_reverse)?$/;

/** The LSTM variant whose own parameters a recurrent dict holds, if any. */
function lstmVariant(names: readonly string[], fail: (why: string) => never): "peephole_lstm" | "layernorm_lstm" | null {
  const peephole = names.filter((n) => /^weight_c[ifo]_l/.test(n));
  const layernorm = names.filter((n) => n.startsWith("layernorm_"));
  if (peephole.length > 0 && layernorm.length > 0) fail(`it mixes a peephole LSTM's ${peephole[0]} with a layer-normalised LSTM's ${layernorm[0]}`);
  return peephole.length > 0 ? "peephole_lstm" : layernorm.length > 0 ? "layernorm_lstm" : null;
}

/** Fails unless `names` are exactly the parameters of `layer` (a variant LSTM's dict must be whole: no defaults stand in). */
function requireExactNames(layer: RNNBase, names: readonly string[], fail: (why: string) => never): void {
  const want = Object.keys(layer.stateDict());
  const missing = want.filter((n) => !names.includes(n));
  const extra = names.filter((n) => !want.includes(n));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [missing.length > 0 ? `missing ${listNames(missing, 4)}` : "", extra.length > 0 ? `unexpected ${listNames(extra, 4)}` : ""].filter((p) => p !== "");
  fail(`as ${layer.describe()} (numLayers ${layer.numLayers}, bidirectional ${layer.bidirectional}, bias ${layer.bias}) it has ${parts.join("; ")}`);
}

function pick<T extends string | boolean>(setting: PerModule<T> | undefined, path: string): T | undefined {
  if (typeof setting !== "object") return setting;
  return Object.prototype.hasOwnProperty.call(setting, path) ? setting[path] : undefined;
}

const IMPORT_OPTIONS: OptionSchema = {
  source: { type: "string", doc: 'names the file in errors, default "state dict"' },
  maxBytes: { type: "integer", min: 0, doc: "refuse larger inputs, default and most 1 GiB" },
  key: { type: "string", doc: "the checkpoint key holding the state dict" },
  nonlinearity: { type: "any", doc: '"tanh" (default) or "relu", or per module path' },
  batchFirst: { type: "any", doc: "batch-first recurrent layers, default false, or per module path" },
  embeddings: { type: "any", doc: "module paths whose lone weight is an Embedding" },
  ignore: { type: "any", doc: "names or module paths to leave out" },
};

/** Checks the options a JavaScript caller passed, including the per-module forms. */
function checkImportOptions(where: string, options: unknown): ImportPyTorchOptions {
  const o = checkOptions<ImportPyTorchOptions>(where, options, IMPORT_OPTIONS);
  const perModule = (name: string, ok: (v: unknown) => boolean, want: string): void => {
    const v: unknown = Reflect.get(o, name);
    if (v === undefined || ok(v)) return;
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(ok)) return;
    throw new Error(`${where}: ${name} must be ${want} or an object of module path -> ${want}, got ${describeArg(v)}`);
  };
  perModule("nonlinearity", (v) => v === "tanh" || v === "relu", '"tanh" or "relu"');
  perModule("batchFirst", (v) => typeof v === "boolean", "a boolean");
  for (const name of ["embeddings", "ignore"]) {
    const v: unknown = Reflect.get(o, name);
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === "string"))) throw new Error(`${where}: ${name} must be an array of strings, got ${describeArg(v)}`);
  }
  return o;
}

/** At most `max` names, each cut to 60 characters, then how many there are in all: a large or hostile dict cannot make an error message long. */
function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((n) => (n.length > 60 ? `${n.slice(0, 60)}...` : n));
  return names.length <= max ? shown.join(", ") : `${shown.join(", ")}, ... (${names.length} in all)`;
}

function layerFor(params: Map<string, TorchTensor>, path: string, shown: string, source: string, options: ImportPyTorchOptions): Module {
  const names = [...params.keys()];
  const fail = (why: string): never => {
    throw new PyTorchFormatError(`${source}: cannot map ${shown} (parameters ${listNames(names)}): ${why}`);
  };
  const shapeOf = (n: string): number[] => params.get(n)?.shape ?? fail(`${n} is missing`);
  let layer: Module;
  if (params.has("weight_ih_l0") || params.has("weight_hh_l0")) {
    const odd = names.filter((n) => !RECURRENT_NAME.test(n));
    if (odd.length > 0) fail(`${listNames(odd, 4)} ${odd.length > 1 ? "are" : "is"} not a parameter of nn.RNN/nn.LSTM/nn.GRU or of the peephole and layer-normalised LSTMs`);
    const variant = lstmVariant(names, fail);
    const wih = shapeOf("weight_ih_l0");
    const whh = shapeOf("weight_hh_l0");
    const whr = params.get("weight_hr_l0")?.shape;
    if (wih.length !== 2 || whh.length !== 2 || (whr !== undefined && whr.length !== 2)) fail("the weights must be 2-D");
    const H = whr !== undefined ? whr[1]! : whh[1]!;
    const gates = wih[0]! / H;
    if (H < 1 || ![1, 3, 4].includes(gates)) fail(`weight_ih_l0 has ${wih[0]} rows for hidden size ${H}: ${gates} gates per unit, where RNN has 1, GRU 3 and LSTM 4`);
    let numLayers = 0;
    let bidirectional = false;
    for (const n of names) {
      const m = RECURRENT_NAME.exec(n)!;
      numLayers = Math.max(numLayers, Number(m[2]) + 1);
      if (m[3] !== undefined) bidirectional = true;
    }
    // Every layer must bring its weights, so a stray `_l<k>` suffix cannot size the layer.
    for (let l = 0; l < numLayers; l++) if (!params.has(`weight_ih_l${l}`) || !params.has(`weight_hh_l${l}`)) fail(`a name has layer suffix _l${numLayers - 1}, but weight_ih_l${l} or weight_hh_l${l} is missing`);
    const common = {
      inputSize: wih[1]!,
      hiddenSize: H,
      numLayers,
      // A variant's bias is any of its biases, so that a dict missing one is told so.
      bias: variant === "layernorm_lstm" ? names.some((n) => /^layernorm_[ihc]_bias_/.test(n)) : variant === "peephole_lstm" ? names.some((n) => /^bias_(ih|hh)_/.test(n)) : params.has("bias_ih_l0"),
      bidirectional,
      batchFirst: pick(options.batchFirst, path) ?? false,
    };
    if (whr !== undefined && gates !== 4) fail("weight_hr (a projection) belongs to an LSTM only");
    if (variant !== null) {
      const kind = variant === "peephole_lstm" ? "a peephole LSTM" : "a layer-normalised LSTM";
      if (gates !== 4) fail(`${kind} has 4 gates per unit, but weight_ih_l0 has ${wih[0]} rows for hidden size ${H}`);
      if (whr !== undefined) fail(`${kind} has no projection (weight_hr)`);
      const made = wrap(() => (variant === "peephole_lstm" ? new PeepholeLSTM(common) : new LayerNormLSTM(common)), fail);
      requireExactNames(made, names, fail);
      layer = made;
    } else {
      const make = (): RNNBase =>
        gates === 4 ? new LSTM({ ...common, projSize: whr?.[0] ?? 0 }) : gates === 3 ? new GRU(common) : new RNN({ ...common, nonlinearity: pick(options.nonlinearity, path) ?? "tanh" });
      layer = wrap(make, fail);
    }
  } else if (names.every((n) => n === "weight" || n === "bias") && params.has("weight")) {
    const w = shapeOf("weight");
    if (w.length !== 2) fail(`weight has shape (${w.join(", ")}); Linear and Embedding weights are 2-D`);
    const last = path.split(".").pop() ?? "";
    const isEmbedding = !params.has("bias") && ((options.embeddings ?? []).includes(path) || /embed/i.test(last));
    layer = wrap(() => (isEmbedding ? new Embedding({ numEmbeddings: w[0]!, embeddingDim: w[1]! }) : new Linear({ inFeatures: w[1]!, outFeatures: w[0]!, bias: params.has("bias") })), fail);
  } else {
    return fail("recognised are nn.RNN/nn.LSTM/nn.GRU (weight_ih_l0, ...), nn.Linear (weight, bias) and nn.Embedding (weight); pass ignore: [...] to leave a module out");
  }
  const entries: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [n, t] of params) entries[n] = { shape: t.shape, data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data) };
  wrap(() => layer.loadStateDict(entries), fail);
  return layer;
}

function wrap<T>(f: () => T, fail: (why: string) => never): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PyTorchFormatError) throw e;
    return fail(e instanceof Error ? e.message : describeArg(e));
  }
}
