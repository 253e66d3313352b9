/**
 * A PyTorch state dict of a char LM whose recurrent layer is one of the LSTM variants
 * (`peephole_lstm`, `layernorm_lstm`), as `recurrent export --format pytorch` and train_ddp.py
 * write it, back into an RNNLM. The generic PyTorch importer maps nn.RNN/nn.LSTM/nn.GRU names
 * only; the variants' own parameters (`weight_ci_l0`, `layernorm_i_weight_l0`, ...) mark their
 * cell, and the rest of the architecture is read from the names and shapes as that importer
 * reads it: H from `weight_hh_l0`, layers and directions from the suffixes, the vocabulary
 * from `linear.weight`, the embedding width from `embedding.weight`.
 *
 * Nothing is allocated from the file's claims before they are checked: the sizes against the
 * char LM's option bounds, then the parameter count the architecture implies against the values
 * the file holds; the weights then load by name and shape, so any other difference is refused.
 */
import type { TorchStateDict } from "../pytorch/read.js";
import { checkValue } from "../../../tasks/schema.js";
import { CHARLM_SCHEMA, type CellKind } from "../../../tasks/charlm/schema.js";
import { RNNLM } from "../../../tasks/charlm/model.js";
import { charLMParameterCount } from "../../../tasks/charlm/weights.js";

/** A parameter only each variant has, in its first layer, telling the cell apart. */
const MARKERS: readonly (readonly [string, CellKind])[] = [
  ["rnn.weight_ci_l0", "peephole_lstm"],
  ["rnn.layernorm_i_weight_l0", "layernorm_lstm"],
];

const RECURRENT_NAME = /^rnn\.[a-z_]+_l(\d+)(_reverse)?$/;

/**
 * The RNNLM `dict` holds when its recurrent layer is an LSTM variant, with its weights; null when
 * the dict has no variant's parameters (the generic importer then reads it). `where` names the
 * file in errors.
 */
export function variantCharLMFromStateDict(dict: TorchStateDict, where: string): RNNLM | null {
  const cell = MARKERS.find(([name]) => dict.has(name))?.[1];
  if (cell === undefined) return null;
  const fail = (why: string): never => {
    throw new Error(`${where}: not a ${cell} char LM: ${why}`);
  };
  const shapeOf = (name: string, dims: number): number[] => {
    const shape = dict.get(name)?.shape ?? fail(`${name} is missing`);
    if (shape.length !== dims) fail(`${name} has shape (${shape.join(", ")}), expected ${dims} dims`);
    return shape;
  };
  let numLayers = 0;
  let bidirectional = false;
  for (const name of dict.keys()) {
    const m = RECURRENT_NAME.exec(name);
    if (m === null) continue;
    numLayers = Math.max(numLayers, Number(m[1]) + 1);
    if (m[2] !== undefined) bidirectional = true;
  }
  const embedding = dict.has("embedding.weight") ? shapeOf("embedding.weight", 2) : null;
  const architecture = {
    cell,
    hiddenSize: shapeOf("rnn.weight_hh_l0", 2)[1]!,
    numLayers,
    bidirectional,
    embedSize: embedding === null ? 0 : embedding[1]!,
  };
  for (const spec of CHARLM_SCHEMA.options) {
    if (spec.name in architecture) checkValue(spec, architecture[spec.name as keyof typeof architecture], where);
  }
  const vocabSize = shapeOf("linear.weight", 2)[0]!;
  if (!(vocabSize >= 1)) fail(`linear.weight scores ${vocabSize} tokens`);
  const stored = [...dict.values()].reduce((n, t) => n + t.data.length, 0);
  const expected = charLMParameterCount(architecture, vocabSize);
  if (stored !== expected) fail(`its names and shapes describe a model of ${expected} parameters, but it holds ${stored} values`);
  const model = new RNNLM({ vocabSize, ...architecture });
  const weights: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const [name, t] of dict) {
    if (!t.floating) fail(`${name} holds ${t.dtype} values, not floating-point weights`);
    weights[name] = { shape: t.shape, data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data) };
  }
  try {
    model.loadStateDict(weights);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  model.eval();
  return model;
}
