/**
 * Training checkpoints: a safetensors file with the weights and the optimiser's buffers, and a
 * JSON file beside it with everything else needed to continue exactly (epoch, config, RNG
 * states, the optimiser's step counts and options, the metrics so far, the callbacks' states).
 * This file is the format itself (`encodeCheckpoint`/`decodeCheckpoint`) and its RunStore reader
 * and writer, with no Node-only import, so a browser writes and reads the same files;
 * checkpoint.ts adds the file-system reader and writer.
 *
 *   <stem>.safetensors   model parameters by name ("rnn.weight_ih_l0", ...), F32, plus the
 *                        optimiser buffers as "optim.<buffer>.<param index>" ("optim.exp_avg.3"),
 *                        and callbacks' tensors as "callback.<key>.<name>" (early stopping's best weights)
 *   <stem>.json          CheckpointMeta, including the byte length and SHA-256 of the weights
 *
 * The weights are written first and the metadata last, each atomically, so a reader that finds
 * the metadata finds the weights it describes; the recorded hash catches a pair whose halves
 * come from different saves (a copy gone wrong, a file replaced by hand).
 */
import { parseJsonChecked } from "../io/json.js";
import { sha256Hex } from "../io/sha256.js";
import type { RunStore } from "./store/store.js";
import { parseSafetensors, serializeSafetensors, type SafeTensor } from "../io/safetensors.js";
import type { GeneratorState } from "../tensor/random.js";
import type { OptimizerState, OptionValue } from "../optim/state.js";
import { parseEpochLogs, type EpochLogs } from "./metrics.js";
import {
  describeValue,
  requireInteger,
  requireRecord,
  requireString,
  type JsonRecord,
} from "./json-check.js";

/** Value of `format` in every checkpoint's metadata. */
export const CHECKPOINT_FORMAT = "recurrent-checkpoint";
/** Version of the metadata layout; bumped when a reader of the old one would misread the new one. */
export const CHECKPOINT_VERSION = 1;
/** Prefix of the optimiser's buffers inside the weights file. */
export const OPTIM_PREFIX = "optim.";
/** Prefix of callbacks' tensors inside the weights file. */
export const CALLBACK_PREFIX = "callback.";

/** A parameter as the checkpoint stores it: a shape and float32 values. */
export interface StoredTensor {
  shape: readonly number[];
  data: Float32Array;
}

/**
 * The RNG streams a run draws from, by name; restoring them makes a resumed run draw the same
 * numbers. The training loop writes "global" (initialisation, dropout) and "sampler" (the data's
 * shuffling or sampling generator) when the data has one.
 */
export type CheckpointRng = Record<string, GeneratorState>;

/** The optimiser's state without its buffers (those live in the weights file). */
export interface OptimizerMeta {
  kind: string;
  options: Record<string, OptionValue>;
  step: number[];
}

/** The JSON file of a checkpoint. */
export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** Epochs completed when the checkpoint was taken. */
  epoch: number;
  /** The run's configuration, as the task wrote it. */
  config: JsonRecord;
  /** The weights file beside this one: its name, byte length and SHA-256 (hex). */
  weights: { file: string; bytes: number; sha256: string };
  rng: CheckpointRng;
  optimizer: OptimizerMeta;
  /** Metrics of every epoch so far, in order. */
  metrics: EpochLogs[];
  /** Name of the kernel backend that produced these weights. */
  backend: string;
  /** ISO time of writing. */
  savedAt: string;
  /** Each callback's `getState()`, by callback key; absent in checkpoints written without callbacks. */
  callbacks?: JsonRecord;
}

/** What a caller hands to `writeCheckpoint`. */
export interface CheckpointInput {
  epoch: number;
  config: JsonRecord;
  params: Record<string, StoredTensor>;
  optimizer: OptimizerState;
  rng: CheckpointRng;
  metrics: readonly EpochLogs[];
  backend: string;
  /** Callback states to restore on resume. Default: none. */
  callbacks?: JsonRecord;
  /** Callbacks' tensors, keyed "<callback key>.<name>", stored in the weights file. Default: none. */
  callbackTensors?: Record<string, Float32Array>;
}

/** A checkpoint read back: the metadata, the parameters and the optimiser's full state. */
export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  params: Record<string, StoredTensor>;
  optimizer: OptimizerState;
  /** Callbacks' tensors, keyed "<callback key>.<name>". */
  callbackTensors: Record<string, Float32Array>;
  /** Path of the metadata file. */
  path: string;
}

/** SHA-256 of `bytes` as hex (the pure-TypeScript one in io/sha256.ts, re-exported where it always was). */
export { sha256Hex };

/** The last segment of a "/"- or "\\"-separated name: a file name never carries a folder. */
function basename(name: string): string {
  return name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
}

/** The two files of a checkpoint, encoded: the weights file and the metadata text that describes it. */
export interface EncodedCheckpoint {
  weights: Uint8Array;
  meta: string;
}

/** Encodes a checkpoint whose files will be named `<stem>.safetensors` and `<stem>.json`. */
export function encodeCheckpoint(stem: string, input: CheckpointInput): EncodedCheckpoint {
  const where = "writeCheckpoint";
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of Object.entries(input.params)) {
    if (name.startsWith(OPTIM_PREFIX) || name.startsWith(CALLBACK_PREFIX)) {
      throw new Error(`${where}: parameter name "${name}" must not start with "${OPTIM_PREFIX}" or "${CALLBACK_PREFIX}" (kept for optimiser and callback buffers)`);
    }
    tensors[name] = { dtype: "F32", shape: [...t.shape], data: t.data };
  }
  for (const [key, buf] of Object.entries(input.optimizer.buffers)) {
    tensors[`${OPTIM_PREFIX}${key}`] = { dtype: "F32", shape: [buf.length], data: buf };
  }
  for (const [key, buf] of Object.entries(input.callbackTensors ?? {})) {
    tensors[`${CALLBACK_PREFIX}${key}`] = { dtype: "F32", shape: [buf.length], data: buf };
  }
  const bytes = serializeSafetensors(tensors, { format: "pt" });
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch: input.epoch,
    config: input.config,
    weights: { file: `${basename(stem)}.safetensors`, bytes: bytes.length, sha256: sha256Hex(bytes) },
    rng: input.rng,
    optimizer: { kind: input.optimizer.kind, options: input.optimizer.options, step: [...input.optimizer.step] },
    metrics: [...input.metrics],
    backend: input.backend,
    savedAt: new Date().toISOString(),
    ...(input.callbacks !== undefined ? { callbacks: input.callbacks } : {}),
  };
  return { weights: bytes, meta: `${JSON.stringify(meta, nullForNonFinite, 1)}\n` };
}


/**
 * Writes the checkpoint `<name>.safetensors` then `<name>.json` into a store (`name` may hold a
 * folder: "checkpoints/epoch-0010"), each atomically, weights first. Returns the metadata's name.
 */
export async function writeCheckpointTo(store: RunStore, name: string, input: CheckpointInput): Promise<string> {
  const encoded = encodeCheckpoint(name, input);
  await store.write(`${name}.safetensors`, encoded.weights);
  await store.write(`${name}.json`, encoded.meta);
  return `${name}.json`;
}

function nullForNonFinite(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}


/** `readCheckpoint` from a store: `metaName` is the metadata's name ("checkpoints/epoch-0010.json"). */
export async function readCheckpointFrom(store: RunStore, metaName: string): Promise<LoadedCheckpoint> {
  const metaBytes = await store.read(metaName);
  const slash = metaName.lastIndexOf("/");
  const folder = slash < 0 ? "" : metaName.slice(0, slash + 1);
  const json = parseMetaBytes(metaBytes, `checkpoint ${store.locate(metaName)}`);
  const weightsName = `${folder}${json.weights.file}`;
  const weights = await store.read(weightsName);
  return decodeCheckpoint(metaBytes, () => ({ bytes: weights, location: store.locate(weightsName) }), store.locate(metaName));
}

function parseMetaBytes(metaBytes: Uint8Array, where: string): CheckpointMeta {
  let json: unknown;
  try {
    json = parseJsonChecked(metaBytes, where);
  } catch (err) {
    const why = err instanceof Error && /levels deep/.test(err.message) ? "nests too deeply" : "is not valid JSON (truncated or corrupt file)";
    throw new Error(`${where}: metadata ${why}`, { cause: err });
  }
  return parseCheckpointMeta(json, where);
}

/**
 * Largest magnitude a stored value may have. A trained network's weights and optimiser buffers are
 * many orders below it; a value above it (or NaN/Infinity) means a diverged or corrupt run, which
 * would otherwise load and silently produce garbage.
 */
export const MAX_ABS_STORED_VALUE = 1e30;

/** Index of the first value that is not finite or exceeds MAX_ABS_STORED_VALUE, or -1. */
function firstUnusable(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(Math.abs(v) <= MAX_ABS_STORED_VALUE)) return i;
  }
  return -1;
}

/**
 * Decodes a checkpoint: checks the metadata field by field, checks that the weights are the ones
 * it describes (length, then SHA-256) and parses them, refusing non-finite or absurd values. `weightsFor(file)` fetches the weights
 * file the metadata names; `metaLocation` names the metadata in errors.
 */
export function decodeCheckpoint(
  metaBytes: Uint8Array,
  weightsFor: (file: string) => { bytes: Uint8Array; location: string },
  metaLocation: string,
): LoadedCheckpoint {
  const where = `checkpoint ${metaLocation}`;
  const meta = parseMetaBytes(metaBytes, where);
  const { bytes, location: weightsPath } = weightsFor(meta.weights.file);
  if (bytes.length !== meta.weights.bytes) {
    throw new Error(
      `${where}: metadata does not match its weights ${weightsPath}: the file is ${bytes.length} bytes but the metadata says ` +
        `${meta.weights.bytes} (truncated, or saved by another run)`,
    );
  }
  const digest = sha256Hex(bytes);
  if (digest !== meta.weights.sha256) {
    throw new Error(
      `${where}: metadata does not match its weights ${weightsPath}: SHA-256 ${digest.slice(0, 12)}... but the metadata says ` +
        `${meta.weights.sha256.slice(0, 12)}... (corrupt, or saved by another run)`,
    );
  }
  const parsed = parseSafetensors(bytes, weightsPath);
  const params: Record<string, StoredTensor> = {};
  const buffers: Record<string, Float32Array> = {};
  const callbackTensors: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(parsed.tensors)) {
    if (!(t.data instanceof Float32Array) || t.dtype !== "F32") {
      throw new Error(`${where}: tensor "${name}" in ${weightsPath} is ${t.dtype}, expected F32`);
    }
    const bad = firstUnusable(t.data);
    if (bad >= 0) {
      throw new Error(
        `${where}: tensor "${name.slice(0, 80)}" holds ${t.data[bad]} at flat index ${bad}; stored values must be finite and ` +
          `at most ${MAX_ABS_STORED_VALUE} in magnitude (the run diverged, or the file was altered)`,
      );
    }
    if (name.startsWith(OPTIM_PREFIX)) buffers[name.slice(OPTIM_PREFIX.length)] = t.data;
    else if (name.startsWith(CALLBACK_PREFIX)) callbackTensors[name.slice(CALLBACK_PREFIX.length)] = t.data;
    else params[name] = { shape: t.shape, data: t.data };
  }
  const optimizer: OptimizerState = { ...meta.optimizer, buffers };
  return { meta, params, optimizer, callbackTensors, path: metaLocation };
}

/** Validates parsed metadata; `where` prefixes every error. */
export function parseCheckpointMeta(json: unknown, where: string): CheckpointMeta {
  const m = requireRecord(json, where, "metadata");
  if (m["format"] !== CHECKPOINT_FORMAT) {
    throw new Error(`${where}: format must be "${CHECKPOINT_FORMAT}", got ${describeValue(m["format"])} (not a checkpoint of this library)`);
  }
  if (m["version"] !== CHECKPOINT_VERSION) {
    throw new Error(`${where}: version ${describeValue(m["version"])} is not supported (this reader knows version ${CHECKPOINT_VERSION})`);
  }
  const epoch = requireInteger(m["epoch"], where, "epoch", 0);
  const config = requireRecord(m["config"], where, "config");
  const w = requireRecord(m["weights"], where, "weights");
  const file = requireString(w["file"], where, "weights.file");
  if (file !== basename(file) || file === "" || file.startsWith(".")) {
    throw new Error(`${where}: weights.file must be a plain file name beside the metadata, got ${describeValue(file)}`);
  }
  const bytes = requireInteger(w["bytes"], where, "weights.bytes", 8);
  const sha256 = requireString(w["sha256"], where, "weights.sha256");
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${where}: weights.sha256 must be 64 hex digits, got ${describeValue(sha256)}`);
  const r = requireRecord(m["rng"], where, "rng");
  const rng: CheckpointRng = {};
  for (const [name, state] of Object.entries(r)) rng[name] = parseGeneratorState(state, where, `rng.${name}`);
  const optimizer = parseOptimizerMeta(m["optimizer"], where);
  const metricsRaw = m["metrics"];
  if (!Array.isArray(metricsRaw)) throw new Error(`${where}: metrics must be an array, got ${describeValue(metricsRaw)}`);
  const metrics = metricsRaw.map((v, i) => parseEpochLogs(v, `${where}: metrics[${i}]`));
  const backend = requireString(m["backend"], where, "backend");
  const savedAt = requireString(m["savedAt"], where, "savedAt");
  const callbacks = m["callbacks"] === undefined ? undefined : requireRecord(m["callbacks"], where, "callbacks");
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch,
    config,
    weights: { file, bytes, sha256 },
    rng,
    optimizer,
    metrics,
    backend,
    savedAt,
    ...(callbacks !== undefined ? { callbacks } : {}),
  };
}

function parseGeneratorState(v: unknown, where: string, field: string): GeneratorState {
  const s = requireRecord(v, where, field);
  const words = s["words"];
  if (!Array.isArray(words) || words.length !== 4 || !words.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 0xffffffff)) {
    throw new Error(`${where}: ${field}.words must be four unsigned 32-bit integers, got ${describeValue(words)}`);
  }
  const spare = s["spare"];
  if (spare !== null && (typeof spare !== "number" || !Number.isFinite(spare))) {
    throw new Error(`${where}: ${field}.spare must be a number or null, got ${describeValue(spare)}`);
  }
  const [a, b, c, d] = words;
  return { words: [a, b, c, d], spare };
}

function parseOptimizerMeta(v: unknown, where: string): OptimizerMeta {
  const o = requireRecord(v, where, "optimizer");
  const kind = requireString(o["kind"], where, "optimizer.kind");
  const optionsRaw = requireRecord(o["options"], where, "optimizer.options");
  const options: Record<string, OptionValue> = {};
  for (const [k, val] of Object.entries(optionsRaw)) {
    if (typeof val === "number" || typeof val === "boolean") options[k] = val;
    else if (Array.isArray(val) && val.every((x) => typeof x === "number")) options[k] = val.map(Number);
    else throw new Error(`${where}: optimizer.options.${k} must be a number, boolean or array of numbers, got ${describeValue(val)}`);
  }
  const step = o["step"];
  if (!Array.isArray(step) || !step.every((s) => typeof s === "number" && Number.isSafeInteger(s) && s >= 0)) {
    throw new Error(`${where}: optimizer.step must be an array of non-negative integers, got ${describeValue(step)}`);
  }
  return { kind, options, step: step.map(Number) };
}

