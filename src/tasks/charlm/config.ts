/**
 * Configuration of a character language model run: the model, the data, the optimiser and the
 * schedule. Defaults are the book's setting (d2l, chapter "Recurrent Neural Networks").
 */
import type { SamplerKind } from "../../data/text/loader.js";
import { checkConfig } from "../schema.js";
import { CELL_KINDS, CELL_LABELS, CHARLM_DEFAULTS, CHARLM_DERIVED_FIELDS, CHARLM_SCHEMA, OPTIMIZER_KINDS, SAMPLER_KINDS, type CellKind, type OptimizerKind } from "./schema.js";
import {
  describeValue,
  requireBoolean,
  requireInteger,
  requireNumber,
  requireOneOf,
  requireRecord,
  requireString,
  type JsonRecord,
} from "../../train/json-check.js";

export { CELL_KINDS, CELL_LABELS, OPTIMIZER_KINDS, SAMPLER_KINDS, type CellKind, type OptimizerKind } from "./schema.js";

export interface CharLMConfig {
  /** Recurrent cell. Default "lstm". */
  cell: CellKind;
  /** Hidden units per layer and direction, H. Default 256. */
  hiddenSize: number;
  /** Stacked recurrent layers, L. Default 1. */
  numLayers: number;
  /** Read the sequence both ways (D = 2). Default false. */
  bidirectional: boolean;
  /** Width of a learned embedding of the input characters; 0 feeds one-hot vectors instead. Default 0. */
  embedSize: number;
  /** Rows per minibatch, B. Default 32. */
  batchSize: number;
  /** Time steps per minibatch (the truncation length of BPTT), T. Default 35. */
  numSteps: number;
  /** Epochs to train. Default 500. */
  numEpochs: number;
  /** Learning rate. Default 1 for SGD, 0.01 for Adam. */
  lr: number;
  /** Largest global gradient norm; larger gradients are scaled down to it. Default 1. */
  clip: number;
  /** Minibatch sampler. Default "sequential". */
  sampler: SamplerKind;
  /** Keep only the first this-many tokens of the corpus; 0 keeps all. Default 10000. */
  maxTokens: number;
  /** Optimiser. Default "sgd". */
  optimizer: OptimizerKind;
  /** Seeds the initialisation (global generator) and, separately, the sampler. Default 0. */
  seed: number;
  /** Write a periodic checkpoint every this many epochs. Default 10. */
  checkpointEvery: number;
  /** The training text, as an absolute path. */
  textPath: string;
  /** SHA-256 of the training text, so a resumed run can tell that the text changed. */
  textSha256: string;
}

export { CHARLM_DEFAULTS } from "./schema.js";

/** The learning rate used when none is given: the book's 1 for SGD, 0.01 for Adam (1 would diverge). */
export function defaultLr(optimizer: OptimizerKind): number {
  return optimizer === "adam" ? 0.01 : 1;
}

/** Fields a caller may set; the text's path and hash are required. */
export type CharLMConfigInput = Partial<Omit<CharLMConfig, "textPath" | "textSha256">> & Pick<CharLMConfig, "textPath" | "textSha256">;

/** Fills defaults and checks every field; errors read `charlm: hiddenSize must be ...`. */
export function resolveCharLMConfig(input: CharLMConfigInput): CharLMConfig {
  return resolveCharLMConfigFrom({ ...input });
}

/**
 * `resolveCharLMConfig` for values keyed by config field as a schema-driven caller (the CLI)
 * holds them: undefined values take the defaults; every field is then checked.
 */
export function resolveCharLMConfigFrom(input: Record<string, unknown>): CharLMConfig {
  const optimizer = input["optimizer"] ?? CHARLM_DEFAULTS.optimizer;
  const merged: Record<string, unknown> = { ...CHARLM_DEFAULTS, lr: defaultLr(requireOneOf(optimizer, OPTIMIZER_KINDS, "charlm", "optimizer")) };
  for (const [k, v] of Object.entries(input)) if (v !== undefined) merged[k] = v;
  return parseCharLMConfig(merged, "charlm");
}

/** Reads a config back from JSON (config.json or a checkpoint), checking every field. */
export function parseCharLMConfig(json: unknown, where: string): CharLMConfig {
  const c = requireRecord(json, where, "config");
  // The schema checks every option (and refuses unknown fields); the typed reads below then cannot fail on them.
  checkConfig(CHARLM_SCHEMA, c, where, CHARLM_DERIVED_FIELDS);
  const positive = (k: string): number => requireInteger(c[k], where, k, 1);
  const positiveNumber = (k: string): number => {
    const v = requireNumber(c[k], where, k);
    if (!(v > 0)) throw new Error(`${where}: ${k} must be a positive number, got ${describeValue(v)}`);
    return v;
  };
  const seed = requireInteger(c["seed"], where, "seed", 0);
  if (seed > 0xffffffff) throw new Error(`${where}: seed must be an integer in [0, 4294967295], got ${seed}`);
  const textSha256 = requireString(c["textSha256"], where, "textSha256");
  if (!/^[0-9a-f]{64}$/.test(textSha256)) throw new Error(`${where}: textSha256 must be 64 hex digits, got ${describeValue(textSha256)}`);
  return {
    cell: requireOneOf(c["cell"], CELL_KINDS, where, "cell"),
    hiddenSize: positive("hiddenSize"),
    numLayers: positive("numLayers"),
    bidirectional: requireBoolean(c["bidirectional"], where, "bidirectional"),
    embedSize: requireInteger(c["embedSize"], where, "embedSize", 0),
    batchSize: positive("batchSize"),
    numSteps: positive("numSteps"),
    numEpochs: positive("numEpochs"),
    lr: positiveNumber("lr"),
    clip: positiveNumber("clip"),
    sampler: requireOneOf(c["sampler"], SAMPLER_KINDS, where, "sampler"),
    maxTokens: requireInteger(c["maxTokens"], where, "maxTokens", 0),
    optimizer: requireOneOf(c["optimizer"], OPTIMIZER_KINDS, where, "optimizer"),
    seed,
    checkpointEvery: positive("checkpointEvery"),
    textPath: requireString(c["textPath"], where, "textPath"),
    textSha256,
  };
}

/** The config as a plain JSON object (for config.json and checkpoint metadata). */
export function configToJson(config: CharLMConfig): JsonRecord {
  return { ...config };
}

/** "LSTM, 1 layer, 256 hidden" and the like, for titles and summaries. */
export function describeModel(config: CharLMConfig): string {
  const layers = `${config.numLayers} layer${config.numLayers === 1 ? "" : "s"}`;
  const dir = config.bidirectional ? ", bidirectional" : "";
  const input = config.embedSize > 0 ? `, embedding ${config.embedSize}` : "";
  return `${CELL_LABELS[config.cell]}, ${layers}, ${config.hiddenSize} hidden${dir}${input}`;
}
