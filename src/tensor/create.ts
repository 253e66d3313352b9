/**
 * Functions that create tensors. Each checks its arguments at run time (JavaScript callers have
 * no type checker): shapes must be arrays of non-negative integers holding at most
 * `MAX_ELEMENTS` (2^28) values, checked before anything is allocated; numbers must be numbers.
 * Errors name the function, the argument, what was expected and what came.
 */
import { Tensor } from "./tensor.js";
import { type Shape, MAX_DIMS, MAX_ELEMENTS, checkedSize, shapeStr } from "./shape.js";
import { Generator, globalGenerator } from "./random.js";

export interface TensorOptions {
  /** Record operations on this tensor for backward(). Default false. */
  requiresGrad?: boolean;
}

/** Nested arrays of numbers, e.g. [[1, 2], [3, 4]]. */
export type NestedArray = number | NestedArray[];

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object" && v !== null) return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  if (typeof v === "function") return "a function";
  return String(v).slice(0, 40);
}

function requiresGradOf(where: string, opts: unknown): boolean {
  if (opts === undefined) return false;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) throw new TypeError(`${where}: options must be an object, got ${show(opts)}`);
  const r: unknown = (opts as { requiresGrad?: unknown }).requiresGrad;
  if (r === undefined) return false;
  if (typeof r !== "boolean") throw new TypeError(`${where}: option requiresGrad must be true or false, got ${show(r)}`);
  return r;
}

function generatorOf(where: string, opts: unknown): Generator {
  const g: unknown = typeof opts === "object" && opts !== null ? (opts as { generator?: unknown }).generator : undefined;
  if (g === undefined) return globalGenerator;
  if (!(g instanceof Generator)) throw new TypeError(`${where}: option generator must be a Generator, got ${show(g)}`);
  return g;
}

function numberArg(where: string, name: string, v: unknown, { finite = true } = {}): number {
  if (typeof v !== "number" || Number.isNaN(v) || (finite && !Number.isFinite(v))) {
    throw new TypeError(`${where}: ${name} must be a ${finite ? "finite " : ""}number, got ${show(v)}`);
  }
  return v;
}

/** Path of an element in a nested array, for errors: `[1][0]`. */
function pathStr(path: readonly number[]): string {
  return path.map((i) => `[${i}]`).join("");
}

/**
 * Flattens nested arrays of numbers without recursion (so no depth can overflow the stack) and
 * infers their shape. Every leaf must be a number at the same depth; every array at one depth
 * must have the same length.
 */
function flatten(root: unknown): { shape: number[]; values: number[] } {
  const shape: number[] = [];
  const values: number[] = [];
  if (typeof root === "number") return { shape, values: [root] };
  // Depth-first walk with an explicit stack of (array, next index) frames.
  const stack: { arr: unknown[]; next: number }[] = [];
  const path: number[] = [];
  const enter = (arr: unknown[]): void => {
    const depth = stack.length;
    if (depth >= MAX_DIMS) throw new RangeError(`tensor: nested array is deeper than ${MAX_DIMS} levels at ${pathStr(path)}`);
    if (depth === shape.length) {
      if (values.length > 0) throw new RangeError(`tensor: nested array is ragged: ${pathStr(path)} is an array where a number was found before`);
      shape.push(arr.length);
    } else if (shape[depth] !== arr.length) {
      throw new RangeError(`tensor: nested array is ragged: ${pathStr(path) || "the array"} has length ${arr.length}, expected ${shape[depth]}`);
    }
    stack.push({ arr, next: 0 });
  };
  if (!Array.isArray(root)) throw new TypeError(`tensor: data must be a number, nested arrays of numbers or a typed array, got ${show(root)}`);
  enter(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.arr.length) {
      stack.pop();
      path.pop();
      continue;
    }
    const i = top.next++;
    const e: unknown = top.arr[i];
    if (stack.length === path.length) path[path.length - 1] = i;
    else path.push(i);
    if (typeof e === "number") {
      if (stack.length !== shape.length) throw new RangeError(`tensor: nested array is ragged: ${pathStr(path)} is a number where an array was expected`);
      if (values.length >= MAX_ELEMENTS) throw new RangeError(`tensor: more than ${MAX_ELEMENTS} (2^28) values`);
      values.push(e);
    } else if (Array.isArray(e)) {
      enter(e);
    } else {
      throw new TypeError(`tensor: element ${pathStr(path)} must be a number or an array, got ${show(e)}`);
    }
  }
  return { shape, values };
}

/**
 * Makes a tensor from a Float32Array (or any array-like of numbers) and a shape, or from nested
 * arrays whose shape is inferred. A Float32Array is used as is, not copied. `shape` defaults to
 * the inferred one (`[data.length]` for flat data); when given, it must hold exactly as many
 * values as `data`. NaN and ±Infinity values are kept as given.
 */
export function tensor(data: Float32Array | ArrayLike<number> | NestedArray, shape?: Shape, opts: TensorOptions = {}): Tensor {
  const requiresGrad = requiresGradOf("tensor", opts);
  const checkFill = (n: number): Shape => {
    if (shape === undefined) return [n];
    const size = checkedSize("tensor", shape);
    if (size !== n) throw new RangeError(`tensor: ${n} values do not fill shape ${shapeStr(shape)} (${size} elements)`);
    return shape;
  };
  if (data instanceof Float32Array) return new Tensor(data, checkFill(data.length), requiresGrad);
  if (typeof data === "number" || Array.isArray(data)) {
    const { shape: inferred, values } = flatten(data);
    const s = shape === undefined ? inferred : checkFill(values.length);
    return new Tensor(Float32Array.from(values), s, requiresGrad);
  }
  const isArrayLike =
    ArrayBuffer.isView(data) && !(data instanceof DataView)
      ? true
      : typeof data === "object" && data !== null && typeof (data as { length?: unknown }).length === "number";
  if (!isArrayLike) throw new TypeError(`tensor: data must be a number, nested arrays of numbers or a typed array, got ${show(data)}`);
  const length = (data as ArrayLike<unknown>).length;
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_ELEMENTS) {
    throw new RangeError(`tensor: data has length ${show(length)}; expected an integer in [0, ${MAX_ELEMENTS}]`);
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) throw new TypeError("tensor: data must hold numbers, got a BigInt array");
  const arr = new Float32Array(length);
  const src = data as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) {
    const v = src[i];
    if (typeof v !== "number") throw new TypeError(`tensor: element ${i} must be a number, got ${show(v)}`);
    arr[i] = v;
  }
  return new Tensor(arr, checkFill(length), requiresGrad);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
  const n = checkedSize("zeros", shape);
  return new Tensor(new Float32Array(n), shape, requiresGradOf("zeros", opts));
}

/** A tensor filled with `value` (a number; ±Infinity is allowed, as masks use it, NaN is not). */
export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  return fullNamed("full", shape, value, opts);
}

function fullNamed(where: string, shape: Shape, value: number, opts: TensorOptions): Tensor {
  const n = checkedSize(where, shape);
  numberArg(where, "value", value, { finite: false });
  return new Tensor(new Float32Array(n).fill(value), shape, requiresGradOf(where, opts));
}

/** A tensor of ones. */
export function ones(shape: Shape, opts: TensorOptions = {}): Tensor {
  return fullNamed("ones", shape, 1, opts);
}

export interface RandomOptions extends TensorOptions {
  /** Source of randomness. Default: the global generator (manualSeed). */
  generator?: Generator;
}

/** Standard normal samples. */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  const n = checkedSize("randn", shape);
  const requiresGrad = requiresGradOf("randn", opts);
  const g = generatorOf("randn", opts);
  const d = new Float32Array(n);
  for (let i = 0; i < d.length; i++) d[i] = g.normal();
  return new Tensor(d, shape, requiresGrad);
}

/** Uniform samples in [low, high) (defaults 0 and 1); both finite, low <= high. */
export function uniform(shape: Shape, low = 0, high = 1, opts: RandomOptions = {}): Tensor {
  const n = checkedSize("uniform", shape);
  numberArg("uniform", "low", low);
  numberArg("uniform", "high", high);
  if (!(low <= high)) throw new RangeError(`uniform: low must be <= high, got low=${low}, high=${high}`);
  if (!Number.isFinite(high - low)) throw new RangeError(`uniform: high - low overflows, got low=${low}, high=${high}`);
  const requiresGrad = requiresGradOf("uniform", opts);
  const g = generatorOf("uniform", opts);
  const d = new Float32Array(n);
  for (let i = 0; i < d.length; i++) d[i] = g.uniformRange(low, high);
  return new Tensor(d, shape, requiresGrad);
}

/** The integers 0, 1, ..., n - 1 as a 1-D tensor; n is a non-negative integer. */
export function arange(n: number): Tensor {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new RangeError(`arange: n must be a non-negative integer, got ${show(n)}`);
  checkedSize("arange", [n]);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = i;
  return new Tensor(d, [n]);
}

/**
 * One-hot encoding of class indices: result shape is `shape` (default [indices.length]) plus
 * [numClasses]. Indices must be integers in [0, numClasses).
 */
export function oneHot(indices: ArrayLike<number>, numClasses: number, shape?: Shape): Tensor {
  if (typeof indices !== "object" || indices === null || typeof indices.length !== "number") {
    throw new TypeError(`oneHot: indices must be an array of class indices, got ${show(indices)}`);
  }
  if (typeof numClasses !== "number" || !Number.isSafeInteger(numClasses) || numClasses <= 0) {
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${show(numClasses)}`);
  }
  const s = shape ?? [indices.length];
  const size = checkedSize("oneHot", s);
  if (size !== indices.length) throw new RangeError(`oneHot: ${indices.length} indices do not fill shape ${shapeStr(s)}`);
  checkedSize("oneHot", [...s, numClasses]);
  const d = new Float32Array(indices.length * numClasses);
  for (let i = 0; i < indices.length; i++) {
    const c: unknown = indices[i];
    if (typeof c !== "number" || !Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new RangeError(`oneHot: index ${show(c)} at position ${i} is outside [0, ${numClasses})`);
    }
    d[i * numClasses + c] = 1;
  }
  return new Tensor(d, [...s, numClasses]);
}
