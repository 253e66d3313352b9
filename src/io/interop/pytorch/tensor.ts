/**
 * Tensors out of `torch.save` storages: the dtype from the storage class, then shape, stride
 * and storage offset from `_rebuild_tensor_v2`, checked against the storage before anything is
 * allocated, and copied by strides (so non-contiguous views come out row-major). Floating
 * tensors become float32 (f16 and bf16 widened exactly, f64 rounded); integer and bool tensors
 * keep their values as numbers.
 */
import { bf16BitsToFloat, f16BitsToFloat } from "../../safetensors.js";
import { MAX_DIMS, MAX_ELEMENTS } from "../../../tensor/shape.js";
import { PyTorchFormatError } from "./errors.js";
import type { PickleObject } from "./pickle.js";

/** Element types a PyTorch state dict may hold, by PyTorch's names. */
export type TorchDType = "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

interface DTypeInfo {
  size: number;
  floating: boolean;
}

export const TORCH_DTYPES: Record<TorchDType, DTypeInfo> = {
  float32: { size: 4, floating: true },
  float64: { size: 8, floating: true },
  float16: { size: 2, floating: true },
  bfloat16: { size: 2, floating: true },
  int64: { size: 8, floating: false },
  int32: { size: 4, floating: false },
  int16: { size: 2, floating: false },
  int8: { size: 1, floating: false },
  uint8: { size: 1, floating: false },
  bool: { size: 1, floating: false },
};

/** The storage classes `torch.save` names in its persistent ids, and their dtypes. */
export const STORAGE_CLASSES: ReadonlyMap<string, TorchDType> = new Map<string, TorchDType>([
  ["torch.FloatStorage", "float32"],
  ["torch.DoubleStorage", "float64"],
  ["torch.HalfStorage", "float16"],
  ["torch.BFloat16Storage", "bfloat16"],
  ["torch.LongStorage", "int64"],
  ["torch.IntStorage", "int32"],
  ["torch.ShortStorage", "int16"],
  ["torch.CharStorage", "int8"],
  ["torch.ByteStorage", "uint8"],
  ["torch.BoolStorage", "bool"],
  // An untyped storage holds bytes; a tensor over it reads them as uint8.
  ["torch.storage.UntypedStorage", "uint8"],
  ["torch.UntypedStorage", "uint8"],
]);

/** One tensor of a state dict: a floating tensor as float32, an integer one as its values. */
export class TorchTensor implements PickleObject {
  readonly pickleKind = "tensor";
  constructor(
    /** The dtype in the file. */
    readonly dtype: TorchDType,
    /** Row-major shape; [] for a scalar. */
    readonly shape: number[],
    /** prod(shape) values, row-major: Float32Array for floating dtypes, Float64Array for int64, Int32Array for the rest. */
    readonly data: Float32Array | Float64Array | Int32Array,
  ) {}

  /** True for float32/float64/float16/bfloat16. */
  get floating(): boolean {
    return TORCH_DTYPES[this.dtype].floating;
  }
}

/** A storage named by a persistent id: its dtype and its bytes (a view into the file). */
export class TorchStorage implements PickleObject {
  readonly pickleKind = "storage";
  constructor(
    readonly dtype: TorchDType,
    readonly key: string,
    readonly bytes: Uint8Array,
    readonly numel: number,
  ) {}
}

/** A shape or stride for messages: at most 8 entries shown. */
function dims(v: readonly number[]): string {
  return v.length > 8 ? `${v.slice(0, 8).join(", ")}, ... (${v.length} dims)` : v.join(", ");
}

/** How many bytes of tensors may still be produced; shared by all tensors of one file. */
export interface AllocationBudget {
  bytesLeft: number;
}

/**
 * Builds a row-major tensor from `storage[offset + Σ index_k · stride_k]`. Checks that the shape
 * and strides are non-negative integers, that the element count is within MAX_ELEMENTS and
 * the budget, and that the farthest element lies inside the storage, before allocating.
 */
export function tensorFromStorage(storage: TorchStorage, offset: number, shape: number[], stride: number[], budget: AllocationBudget): TorchTensor {
  const fail = (why: string): never => {
    throw new PyTorchFormatError(`tensor over storage ${JSON.stringify(storage.key.slice(0, 40))}: ${why}`);
  };
  if (shape.length > MAX_DIMS) fail(`${shape.length} dims, more than ${MAX_DIMS}`);
  if (stride.length !== shape.length) fail(`size has ${shape.length} dims but stride has ${stride.length}`);
  if (!Number.isSafeInteger(offset) || offset < 0) fail(`storage offset ${offset} is not a non-negative integer`);
  let numel = 1;
  let far = offset;
  for (let k = 0; k < shape.length; k++) {
    const n = shape[k]!;
    const s = stride[k]!;
    if (!Number.isSafeInteger(n) || n < 0) fail(`size[${k}] = ${n} is not a non-negative integer`);
    if (!Number.isSafeInteger(s) || s < 0) fail(`stride[${k}] = ${s} is not a non-negative integer`);
    numel *= n;
    if (numel > MAX_ELEMENTS) fail(`shape (${dims(shape)}) has more than ${MAX_ELEMENTS} elements`);
  }
  const info = TORCH_DTYPES[storage.dtype];
  if (numel > 0) {
    for (let k = 0; k < shape.length; k++) far += (shape[k]! - 1) * stride[k]!;
    if (far >= storage.numel) fail(`shape (${dims(shape)}), stride (${dims(stride)}) and offset ${offset} reach element ${far}, but the storage holds ${storage.numel}`);
  }
  const outSize = info.floating ? 4 : storage.dtype === "int64" ? 8 : 4;
  const bytes = numel * outSize;
  if (bytes > budget.bytesLeft) fail(`its ${numel} values would exceed the allocation limit (a small multiple of the file's size); the file is malformed`);
  budget.bytesLeft -= bytes;

  const view = new DataView(storage.bytes.buffer, storage.bytes.byteOffset, storage.bytes.byteLength);
  const read = reader(storage.dtype, view);
  const data = info.floating ? new Float32Array(numel) : storage.dtype === "int64" ? new Float64Array(numel) : new Int32Array(numel);
  if (numel === 0) return new TorchTensor(storage.dtype, shape, data);
  // An odometer over the indices: no recursion, one pass.
  const nd = shape.length;
  const index = new Array<number>(nd).fill(0);
  let src = offset;
  for (let i = 0; i < numel; i++) {
    data[i] = read(src);
    for (let k = nd - 1; k >= 0; k--) {
      index[k]!++;
      src += stride[k]!;
      if (index[k]! < shape[k]!) break;
      src -= index[k]! * stride[k]!;
      index[k] = 0;
    }
  }
  return new TorchTensor(storage.dtype, shape, data);
}

/** Element i of a storage, as a number (little-endian, as torch.save writes on every platform PyTorch supports). */
function reader(dtype: TorchDType, v: DataView): (i: number) => number {
  switch (dtype) {
    case "float32":
      return (i) => v.getFloat32(4 * i, true);
    case "float64":
      return (i) => v.getFloat64(8 * i, true);
    case "float16":
      return (i) => f16BitsToFloat(v.getUint16(2 * i, true));
    case "bfloat16":
      return (i) => bf16BitsToFloat(v.getUint16(2 * i, true));
    case "int64":
      return (i) => Number(v.getBigInt64(8 * i, true));
    case "int32":
      return (i) => v.getInt32(4 * i, true);
    case "int16":
      return (i) => v.getInt16(2 * i, true);
    case "int8":
      return (i) => v.getInt8(i);
    case "uint8":
      return (i) => v.getUint8(i);
    case "bool":
      return (i) => (v.getUint8(i) !== 0 ? 1 : 0);
  }
}
