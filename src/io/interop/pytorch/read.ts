/**
 * Reading a PyTorch state dict from bytes: a `torch.save` file (the ZIP format PyTorch writes by
 * default since 1.6) through the restricted unpickler, or a safetensors file. The result is the
 * state dict's tensors by name, in the file's order.
 *
 * Allocation: the file is never copied; tensors are the only allocation, bounded together by
 * `ALLOCATION_RATIO` times the file's size (a view can repeat a storage, a float16 value
 * doubles when widened, ties share storages), and each is checked against its storage first.
 */
import { parseSafetensors, SafetensorsError, type SafeTensor } from "../../safetensors.js";
import { MAX_TORCH_FILE_BYTES, PyTorchFormatError, quote } from "./errors.js";
import { describePickle, PickleDict, PickleGlobal, PickleTuple, unpickle, type PickleValue } from "./pickle.js";
import { STORAGE_CLASSES, TorchStorage, TorchTensor, tensorFromStorage, type AllocationBudget, type TorchDType } from "./tensor.js";
import { looksLikeZip, readZip } from "./zip.js";

/** The tensors of a file may take at most this many times the file's size in memory. */
export const ALLOCATION_RATIO = 4;

/** A state dict: tensors by their dotted PyTorch names, in the file's order. */
export type TorchStateDict = Map<string, TorchTensor>;

export interface ReadStateDictOptions {
  /** Names the file in errors. Default "state dict". */
  source?: string;
  /** Refuse larger inputs. Default and most MAX_TORCH_FILE_BYTES (1 GiB). */
  maxBytes?: number;
  /**
   * For a checkpoint that holds the state dict under a key (`{"model": state_dict, "epoch": 3}`),
   * that key. Default: the top-level dict is the state dict.
   */
  key?: string;
}

/**
 * Reads a state dict from a `torch.save` ZIP file or a safetensors file (told apart by their
 * first bytes). Integer tensors (e.g. `num_batches_tracked`) are kept with their values;
 * entries that are not tensors are left out. Throws `PyTorchFormatError` for anything else,
 * including a pickle that would run code, the legacy (pre-1.6) format, or a file over `maxBytes`.
 */
export function readTorchStateDict(bytes: Uint8Array, options: ReadStateDictOptions = {}): TorchStateDict {
  const source = options.source ?? "state dict";
  if (!(bytes instanceof Uint8Array)) throw new PyTorchFormatError(`${source}: expected the file's bytes as a Uint8Array, got ${typeof bytes}`);
  const maxBytes = Math.min(options.maxBytes ?? MAX_TORCH_FILE_BYTES, MAX_TORCH_FILE_BYTES);
  if (bytes.length > maxBytes) throw new PyTorchFormatError(`${source}: the file is ${bytes.length} bytes, more than the limit of ${maxBytes} bytes`);
  if (looksLikeZip(bytes)) return fromTorchZip(bytes, source, options.key);
  // safetensors: a u64 header length, then the JSON header's '{'.
  if (bytes.length >= 9 && bytes[8] === 0x7b) {
    if (options.key !== undefined) throw new PyTorchFormatError(`${source}: a safetensors file is one flat state dict; key ${quote(options.key)} does not apply`);
    return fromSafetensors(bytes, source);
  }
  // The legacy format is a bare pickle that starts with PROTO and a LONG1 magic number.
  if (bytes.length >= 3 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5 && bytes[2] === 0x8a) {
    throw new PyTorchFormatError(
      `${source}: this is the legacy torch.save format (before PyTorch 1.6), which is not read; re-save it with the default format: torch.save(torch.load(path), path)`,
    );
  }
  throw new PyTorchFormatError(`${source}: neither a torch.save ZIP file nor a safetensors file (it starts with bytes ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ")})`);
}

function fromSafetensors(bytes: Uint8Array, source: string): TorchStateDict {
  let tensors: Record<string, SafeTensor>;
  try {
    tensors = parseSafetensors(bytes, source).tensors;
  } catch (e) {
    if (e instanceof SafetensorsError) throw new PyTorchFormatError(e.message, { cause: e });
    throw e;
  }
  const out: TorchStateDict = new Map();
  for (const [name, t] of Object.entries(tensors)) {
    const d = t.data;
    const dtype: TorchDType = ({ F32: "float32", F64: "float64", F16: "float16", BF16: "bfloat16", I64: "int64", I32: "int32", U8: "uint8", BOOL: "bool" } as const)[t.dtype];
    let data: Float32Array | Float64Array | Int32Array;
    if (d instanceof Float32Array) data = d;
    else if (d instanceof Float64Array) data = Float32Array.from(d);
    else if (d instanceof BigInt64Array) data = Float64Array.from(d, (v) => Number(v));
    else data = Int32Array.from(d);
    out.set(name, new TorchTensor(dtype, [...t.shape], data));
  }
  return out;
}

const REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";

function fromTorchZip(bytes: Uint8Array, source: string, key: string | undefined): TorchStateDict {
  const entries = readZip(bytes, source);
  const pickles = [...entries.keys()].filter((n) => n === "data.pkl" || n.endsWith("/data.pkl"));
  if (pickles.length !== 1) {
    throw new PyTorchFormatError(`${source}: a torch.save archive holds one data.pkl, this one holds ${pickles.length} (entries: ${[...entries.keys()].slice(0, 5).map(quote).join(", ")})`);
  }
  const pklName = pickles[0]!;
  const prefix = pklName.slice(0, -"data.pkl".length);
  const order = entries.get(`${prefix}byteorder`);
  if (order !== undefined && new TextDecoder().decode(order) !== "little") {
    throw new PyTorchFormatError(`${source}: the tensors are stored big-endian; load and re-save the file on a little-endian machine`);
  }
  const budget: AllocationBudget = { bytesLeft: ALLOCATION_RATIO * bytes.length };
  const storages = new Map<string, TorchStorage>();
  const where = `${source}: ${pklName}`;

  const persistentLoad = (pid: PickleValue): PickleValue => {
    if (!(pid instanceof PickleTuple) || pid.items.length !== 5 || pid.items[0] !== "storage") {
      throw new PyTorchFormatError(`a persistent id must be ("storage", class, key, location, numel), got ${describePickle(pid)}`);
    }
    const [, cls, skey, , numel] = pid.items;
    const dtype = cls instanceof PickleGlobal ? STORAGE_CLASSES.get(cls.qualified) : undefined;
    if (dtype === undefined) throw new PyTorchFormatError(`a persistent id names ${describePickle(cls)}, not a storage class`);
    if (typeof skey !== "string") throw new PyTorchFormatError(`a storage key must be a string, got ${describePickle(skey)}`);
    if (typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0) throw new PyTorchFormatError(`storage ${quote(skey)}: numel must be a non-negative integer, got ${describePickle(numel)}`);
    const seen = storages.get(skey);
    if (seen !== undefined) {
      if (seen.dtype !== dtype || seen.numel !== numel) throw new PyTorchFormatError(`storage ${quote(skey)} is named twice with different types or sizes`);
      return seen;
    }
    const data = entries.get(`${prefix}data/${skey}`);
    if (data === undefined) throw new PyTorchFormatError(`storage ${quote(skey)} has no entry ${quote(`${prefix}data/${skey}`)} in the archive`);
    const size = (STORAGE_SIZES.get(dtype) ?? 1) * numel;
    if (data.length < size) throw new PyTorchFormatError(`storage ${quote(skey)} declares ${numel} elements (${size} bytes) but its entry has ${data.length} bytes`);
    const s = new TorchStorage(dtype, skey, data, numel);
    storages.set(skey, s);
    return s;
  };

  const callables = new Map<string, (args: PickleTuple) => PickleValue>([
    ["collections.OrderedDict", (args) => {
      if (args.items.length !== 0) throw new PyTorchFormatError(`takes no arguments here, got ${args.items.length}`);
      return new PickleDict();
    }],
    [REBUILD_TENSOR, (args) => rebuildTensor(args, budget)],
    ["torch._utils._rebuild_parameter", (args) => parameterTensor(args)],
    ["torch._utils._rebuild_parameter_with_state", (args) => parameterTensor(args)],
  ]);
  const top = unpickle(entries.get(pklName)!, {
    source: where,
    callables,
    classes: new Set(STORAGE_CLASSES.keys()),
    persistentLoad,
    buildIgnored: (target) => target instanceof PickleDict || target instanceof TorchTensor,
  });
  return stateDictOf(top, key, source);
}

const STORAGE_SIZES = new Map<TorchDType, number>([
  ["float32", 4], ["float64", 8], ["float16", 2], ["bfloat16", 2], ["int64", 8], ["int32", 4], ["int16", 2], ["int8", 1], ["uint8", 1], ["bool", 1],
]);

function ints(v: PickleValue | undefined, what: string): number[] {
  if (!(v instanceof PickleTuple)) throw new PyTorchFormatError(`${what} must be a tuple of integers, got ${describePickle(v)}`);
  return v.items.map((x, k) => {
    if (typeof x !== "number" || !Number.isSafeInteger(x)) throw new PyTorchFormatError(`${what}[${k}] must be an integer, got ${describePickle(x)}`);
    return x;
  });
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`. */
function rebuildTensor(args: PickleTuple, budget: AllocationBudget): TorchTensor {
  const a = args.items;
  if (a.length < 4 || a.length > 7) throw new PyTorchFormatError(`expects 6 or 7 arguments, got ${a.length}`);
  const storage = a[0];
  if (!(storage instanceof TorchStorage)) throw new PyTorchFormatError(`the first argument must be a storage, got ${describePickle(storage)}`);
  const offset = a[1];
  if (typeof offset !== "number") throw new PyTorchFormatError(`the storage offset must be an integer, got ${describePickle(offset)}`);
  return tensorFromStorage(storage, offset, ints(a[2], "size"), ints(a[3], "stride"), budget);
}

/** `_rebuild_parameter(tensor, requires_grad, backward_hooks)`: the tensor itself. */
function parameterTensor(args: PickleTuple): TorchTensor {
  const t = args.items[0];
  if (!(t instanceof TorchTensor)) throw new PyTorchFormatError(`the first argument must be a tensor, got ${describePickle(t)}`);
  return t;
}

function stateDictOf(top: PickleValue, key: string | undefined, source: string): TorchStateDict {
  let dict = top;
  if (!(dict instanceof PickleDict)) throw new PyTorchFormatError(`${source}: holds ${describePickle(dict)}, not a state dict (a dict of tensors)`);
  if (key !== undefined) {
    const inner = dict.map.get(key);
    if (!(inner instanceof PickleDict)) {
      throw new PyTorchFormatError(`${source}: key ${quote(key)} holds ${describePickle(inner)}, not a state dict; the top-level keys are ${topKeys(dict)}`);
    }
    dict = inner;
  }
  const out: TorchStateDict = new Map();
  for (const [name, v] of dict.map) if (v instanceof TorchTensor) out.set(String(name), v);
  if (out.size === 0 && dict.map.size > 0) {
    throw new PyTorchFormatError(`${source}: the dict holds no tensors; its keys are ${topKeys(dict)}. For a checkpoint that nests the state dict, pass its key (e.g. { key: "model" })`);
  }
  return out;
}

function topKeys(d: PickleDict): string {
  const keys = [...d.map.keys()];
  return keys.slice(0, 10).map((k) => quote(String(k))).join(", ") + (keys.length > 10 ? `, ... (${keys.length} in all)` : "");
}
