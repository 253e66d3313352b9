/**
 * The HDF5 reads the Keras importer needs, over jsfive (a pure JavaScript HDF5 reader that runs
 * in Node and in the browser, synchronously). Every call into jsfive goes through `guard`, which
 * turns the reader's own exceptions (a RangeError on a truncated file, an Error on an unknown
 * message type) into a KerasFormatError naming the file part. A dataset is read only after its
 * shape, dtype and layout are checked: float32, contiguous and unfiltered (as Keras and h5py
 * write weights), with a size that fits in the file and matches what the layer expects.
 */
import { File, Group, Dataset } from "jsfive";
import { KerasFormatError, clip } from "./errors.js";

/** An open HDF5 file; `part` names it in errors ("model.weights.h5", "model.h5"). */
export interface Hdf5 {
  part: string;
  root: Group;
  /** Bytes in the file: a dataset can hold no more. */
  size: number;
}

/**
 * Runs a jsfive call; its exceptions become KerasFormatErrors naming `part` and `what`. jsfive
 * reports some unreadable fields (an attribute of an unknown type, an out-of-range integer) on
 * console.warn and goes on with null; the checks here refuse those nulls with a KerasFormatError,
 * so the warning is silenced for the call rather than printed for every hostile file.
 */
export function guard<T>(part: string, what: string, run: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return run();
  } catch (err) {
    if (err instanceof KerasFormatError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new KerasFormatError(`${part}: cannot read ${what} (not a readable HDF5 file: ${message.length > 120 ? `${message.slice(0, 120)}...` : message})`);
  } finally {
    console.warn = warn;
  }
}

/** Opens `bytes` as HDF5. */
export function openHdf5(bytes: Uint8Array, part: string): Hdf5 {
  if (bytes.length < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x48 || bytes[2] !== 0x44 || bytes[3] !== 0x46) {
    throw new KerasFormatError(`${part}: not an HDF5 file (it does not start with the HDF5 signature)`);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const root = guard(part, "the superblock", () => new File(buffer, part));
  return { part, root, size: bytes.length };
}

/** The child `path` of `group` when it is a group, else undefined. */
export function childGroup(h: Hdf5, group: Group, path: string): Group | undefined {
  return guard(h.part, `the group ${clip(path)}`, () => {
    if (!group.keys.includes(path.split("/")[0]!)) return undefined;
    const g = group.get(path);
    return g instanceof Group ? g : undefined;
  });
}

/** The names of a group's children. */
export function groupKeys(h: Hdf5, group: Group, where: string): string[] {
  return guard(h.part, `the members of ${clip(where)}`, () => {
    const keys: unknown = group.keys;
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) throw new KerasFormatError(`${h.part}: ${where} has unreadable member names`);
    return keys as string[];
  });
}

/** A string attribute (h5py writes them as strings; jsfive may return an array of one). */
export function stringAttr(h: Hdf5, group: Group, name: string, where: string): string | undefined {
  const v = guard(h.part, `the attribute ${clip(name)} of ${where}`, () => group.attrs[name]);
  if (v === undefined) return undefined;
  const s = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof s !== "string") throw new KerasFormatError(`${h.part}: the attribute ${clip(name)} of ${where} must be a string, got ${clip(s)}`);
  return s;
}

/** A list-of-strings attribute (h5py's arrays of strings). */
export function stringListAttr(h: Hdf5, group: Group, name: string, where: string): string[] {
  const v = guard(h.part, `the attribute ${clip(name)} of ${where}`, () => group.attrs[name]);
  if (v === undefined) throw new KerasFormatError(`${h.part}: ${where} has no ${clip(name)} attribute`);
  const list = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) throw new KerasFormatError(`${h.part}: the attribute ${clip(name)} of ${where} must list strings, got ${clip(v)}`);
  return list as string[];
}

/**
 * What a weight's shape must be: a number where the layer's config fixes the size, null where
 * it is free (the input size, known from the previous layer only).
 */
export type ShapePattern = readonly (number | null)[];

/** A float32 weight read from a dataset. */
export interface Hdf5Weight {
  shape: number[];
  data: Float32Array;
}

/**
 * Reads the dataset `path` of `group` as float32 after checking, before any value is read, its
 * shape against `expected` and its byte size against the file's, and that it is stored as Keras
 * writes weights (little-endian float32, contiguous, no filters).
 */
export function readWeight(h: Hdf5, group: Group, path: string, expected: ShapePattern, where: string): Hdf5Weight {
  const what = `${where} (dataset ${clip(path)})`;
  const ds = guard(h.part, what, () => group.get(path));
  if (!(ds instanceof Dataset)) throw new KerasFormatError(`${h.part}: ${what} is missing or not a dataset`);
  const shapeV = guard(h.part, what, () => ds.shape);
  if (!Array.isArray(shapeV) || !shapeV.every((d) => typeof d === "number" && Number.isSafeInteger(d) && d >= 0)) {
    throw new KerasFormatError(`${h.part}: ${what} has an unreadable shape ${clip(shapeV)}`);
  }
  const shape = shapeV as number[];
  const shown = `[${shape.slice(0, 8).join(", ")}${shape.length > 8 ? `, ... (${shape.length} sizes)` : ""}]`;
  const fits = shape.length === expected.length && shape.every((d, k) => expected[k] === null || expected[k] === d);
  if (!fits) throw new KerasFormatError(`${h.part}: ${what} has shape ${shown}, expected [${expected.map((d) => d ?? "n").join(", ")}]`);
  let size = 1;
  for (const d of shape) size *= d;
  if (size * 4 > h.size) throw new KerasFormatError(`${h.part}: ${what} has shape ${shown}, more values than the ${h.size}-byte file can hold`);
  const dtype = guard(h.part, what, () => ds.dtype);
  if (dtype !== "<f4") throw new KerasFormatError(`${h.part}: ${what} has dtype ${clip(dtype)}; weights are read as little-endian float32 ("<f4")`);
  const layout = guard(h.part, what, () => ({ chunks: ds._dataobjects.chunks, filters: ds._dataobjects.filter_pipeline }));
  if (layout.chunks != null || layout.filters != null) throw new KerasFormatError(`${h.part}: ${what} is chunked or compressed; read are contiguous datasets, as Keras writes them`);
  const value = guard(h.part, what, () => ds.value);
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw new KerasFormatError(`${h.part}: ${what} did not read as numbers`);
  const values = value as ArrayLike<unknown>;
  if (values.length !== size) throw new KerasFormatError(`${h.part}: ${what} read ${values.length} values but its shape needs ${size}`);
  const data = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    const x = values[k];
    if (typeof x !== "number") throw new KerasFormatError(`${h.part}: ${what} holds a non-number at ${k}`);
    data[k] = x;
  }
  return { shape, data };
}
