/** Shape helpers shared by tensors and ops. Shapes are row-major; a scalar has shape []. */

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

export function shapeStr(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The most elements one tensor may hold: 2^28 (268,435,456 float32 values, 1 GiB). Functions
 * that create tensors check a requested shape against it before allocating, so a typo such as
 * `zeros([1e6, 1e6])` is an error that names the function instead of an out-of-memory crash.
 */
export const MAX_ELEMENTS = 2 ** 28;

/** The most dimensions a shape may have. */
export const MAX_DIMS = 32;

/** A bounded rendering of any value for error messages. */
function showValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object" && v !== null) return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  return String(v).slice(0, 40);
}

/**
 * Checks that `shape` is an array of at most MAX_DIMS non-negative integers whose product is at
 * most MAX_ELEMENTS, and returns that product. `where` names the caller in the error.
 */
export function checkedSize(where: string, shape: unknown): number {
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array of non-negative integers, got ${showValue(shape)}`);
  if (shape.length > MAX_DIMS) throw new RangeError(`${where}: shape has ${shape.length} dims; at most ${MAX_DIMS} are supported`);
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      const whole = shape.length <= 8 ? ` of [${shape.map((x: unknown) => showValue(x)).join(", ")}]` : "";
      throw new RangeError(`${where}: shape must hold non-negative integers, got ${showValue(d)} at dim ${i}${whole}`);
    }
    n *= d;
  }
  if (n > MAX_ELEMENTS) {
    throw new RangeError(`${where}: shape ${shapeStr(shape)} holds ${n} elements, more than the limit of ${MAX_ELEMENTS} (2^28)`);
  }
  return n;
}

export function checkShape(shape: Shape, where: string): void {
  checkedSize(where, shape);
}

/** Resolves a negative axis and checks it is in range. */
export function normAxis(axis: number, ndim: number, where: string): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim) {
    throw new Error(`${where}: axis ${axis} is out of range for a tensor with ${ndim} dims`);
  }
  return a;
}

/** NumPy broadcasting of two shapes; throws when they are incompatible. */
export function broadcastShapes(a: Shape, b: Shape, where: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${where}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
