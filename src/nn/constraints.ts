/**
 * Weight constraints as Keras defines them, applied in place to a weight after each optimiser
 * step (outside the tape). Norms are L2 norms over `axis` (one axis or several): for a Keras
 * Dense kernel (inputs, units), axis 0 constrains each unit's incoming weight vector. Keras's
 * epsilon 1e-7 keeps the divisions finite.
 *
 * - `maxNorm(maxValue = 2, axis = 0)`: w · clip(n, 0, maxValue) / (ε + n)
 * - `nonNeg()`: max(w, 0)
 * - `unitNorm(axis = 0)`: w / (ε + n)
 * - `minMaxNorm(minValue = 0, maxValue = 1, rate = 1, axis = 0)`:
 *   w · (rate · clip(n, minValue, maxValue) + (1 - rate) · n) / (ε + n)
 */
import { Tensor } from "../tensor/tensor.js";
import { shapeStr } from "../tensor/shape.js";
import type { JsonValue } from "./module.js";
import { checkOptions, describeArg, type OptionSchema } from "./options.js";
import { type SerializedObject, type SerializedInput, camelCaseKeys, lookupName, normalizeKerasName, readSerialized } from "./keras-config.js";

/** Keras's backend epsilon. */
export const CONSTRAINT_EPSILON = 1e-7;

/** A projection applied to a weight in place after each optimiser step. */
export interface Constraint {
  /** The Keras class name, e.g. "MaxNorm". */
  readonly className: string;
  /** Replaces `w.data` element by element with the constrained values (no tape record). */
  apply(w: Tensor): void;
  /** The options as JSON. */
  getConfig(): { [key: string]: JsonValue };
}

/** Axis option: one axis or several (negative counts from the end). */
export type Axis = number | readonly number[];

function checkAxis(where: string, axis: unknown): Axis {
  const ok = (a: unknown): boolean => typeof a === "number" && Number.isInteger(a);
  if (typeof axis === "number" && Number.isInteger(axis)) return axis;
  if (Array.isArray(axis) && axis.length > 0 && axis.every(ok)) return axis.map(Number);
  throw new Error(`${where}: option axis must be an integer or a non-empty array of integers, got ${describeArg(axis)}`);
}

/**
 * For each element of `w`, the L2 norm of the slice through it along `axis` (the norms of
 * Keras's `sqrt(sum(square(w), axis, keepdims=True))`, broadcast back), in float64.
 */
function normsAlong(where: string, w: Tensor, axis: Axis): Float64Array {
  const axes = (typeof axis === "number" ? [axis] : [...axis]).map((a) => {
    const r = a < 0 ? a + w.ndim : a;
    if (r < 0 || r >= w.ndim) throw new Error(`${where}.apply: axis ${a} is out of range for a weight of shape ${shapeStr(w.shape)}`);
    return r;
  });
  const reduced = new Set(axes);
  // Offset of each element's slot among the kept dims (stride 0 on reduced dims).
  const nd = w.ndim;
  const strides = new Array<number>(nd);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) {
    strides[i] = reduced.has(i) ? 0 : s;
    if (!reduced.has(i)) s *= w.shape[i]!;
  }
  const slot = new Int32Array(w.size);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let k = 0; k < w.size; k++) {
    slot[k] = off;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < w.shape[d]!) break;
      off -= strides[d]! * w.shape[d]!;
      idx[d] = 0;
    }
  }
  const sq = new Float64Array(s);
  for (let k = 0; k < w.size; k++) sq[slot[k]!]! += w.data[k]! ** 2;
  const out = new Float64Array(w.size);
  for (let k = 0; k < w.size; k++) out[k] = Math.sqrt(sq[slot[k]!]!);
  return out;
}

function checkWeight(where: string, w: unknown): Tensor {
  if (!(w instanceof Tensor)) throw new Error(`${where}.apply: w must be a Tensor, got ${describeArg(w)}`);
  return w;
}

/** Multiplies each element by `desired(n) / (ε + n)` of its slice norm n. */
function rescale(where: string, w: Tensor, axis: Axis, desired: (n: number) => number): void {
  const norms = normsAlong(where, w, axis);
  for (let k = 0; k < w.size; k++) {
    const n = norms[k]!;
    w.data[k] = w.data[k]! * (desired(n) / (CONSTRAINT_EPSILON + n));
  }
}

export interface MaxNormOptions {
  /** Largest allowed norm. Default 2. */
  maxValue?: number;
  /** Axis or axes of the norm. Default 0. */
  axis?: Axis;
}

const AXIS_SPEC = { type: "any", doc: "axis or axes of the norm (default 0)" } as const;

/** Rescales slices whose norm exceeds `maxValue` (default 2) down to it. */
export class MaxNorm implements Constraint {
  readonly className = "MaxNorm";
  /** From `getConfig()` output, or Keras's snake_case config (`max_value`). */
  static fromConfig(config: Record<string, unknown>): MaxNorm {
    return new MaxNorm(camelCaseKeys(config));
  }
  readonly maxValue: number;
  readonly axis: Axis;
  constructor(opts: MaxNormOptions = {}) {
    const o = checkOptions<MaxNormOptions>("MaxNorm", opts, { maxValue: { type: "number", min: 0, doc: "largest norm (default 2)" }, axis: AXIS_SPEC });
    this.maxValue = o.maxValue ?? 2;
    this.axis = checkAxis("MaxNorm", o.axis ?? 0);
  }
  apply(w: Tensor): void {
    rescale(this.className, checkWeight(this.className, w), this.axis, (n) => Math.min(Math.max(n, 0), this.maxValue));
  }
  getConfig(): { [key: string]: JsonValue } {
    return { maxValue: this.maxValue, axis: typeof this.axis === "number" ? this.axis : [...this.axis] };
  }
}

/** Sets negative weights to 0. */
export class NonNeg implements Constraint {
  readonly className = "NonNeg";
  /** From `getConfig()` output (an empty object). */
  static fromConfig(config: Record<string, unknown>): NonNeg {
    checkOptions("NonNeg", camelCaseKeys(config), {});
    return new NonNeg();
  }
  apply(w: Tensor): void {
    const t = checkWeight(this.className, w);
    for (let k = 0; k < t.size; k++) if (!(t.data[k]! >= 0)) t.data[k] = Number.isNaN(t.data[k]!) ? NaN : 0;
  }
  getConfig(): { [key: string]: JsonValue } {
    return {};
  }
}

export interface UnitNormOptions {
  /** Axis or axes of the norm. Default 0. */
  axis?: Axis;
}

/** Rescales every slice to norm 1 (slices of zeros stay zero). */
export class UnitNorm implements Constraint {
  readonly className = "UnitNorm";
  /** From `getConfig()` output, or Keras's config. */
  static fromConfig(config: Record<string, unknown>): UnitNorm {
    return new UnitNorm(camelCaseKeys(config));
  }
  readonly axis: Axis;
  constructor(opts: UnitNormOptions = {}) {
    this.axis = checkAxis("UnitNorm", checkOptions<UnitNormOptions>("UnitNorm", opts, { axis: AXIS_SPEC }).axis ?? 0);
  }
  apply(w: Tensor): void {
    rescale(this.className, checkWeight(this.className, w), this.axis, () => 1);
  }
  getConfig(): { [key: string]: JsonValue } {
    return { axis: typeof this.axis === "number" ? this.axis : [...this.axis] };
  }
}

export interface MinMaxNormOptions {
  /** Smallest norm. Default 0. */
  minValue?: number;
  /** Largest norm. Default 1. */
  maxValue?: number;
  /** How far to move toward the clipped norm: 1 enforces it, smaller values move part way. Default 1. */
  rate?: number;
  /** Axis or axes of the norm. Default 0. */
  axis?: Axis;
}

/** Moves each slice's norm toward [minValue, maxValue] by `rate`. */
export class MinMaxNorm implements Constraint {
  readonly className = "MinMaxNorm";
  /** From `getConfig()` output, or Keras's snake_case config (`min_value`, `max_value`). */
  static fromConfig(config: Record<string, unknown>): MinMaxNorm {
    return new MinMaxNorm(camelCaseKeys(config));
  }
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;
  constructor(opts: MinMaxNormOptions = {}) {
    const schema: OptionSchema = {
      minValue: { type: "number", min: 0, doc: "smallest norm (default 0)" },
      maxValue: { type: "number", min: 0, doc: "largest norm (default 1)" },
      rate: { type: "number", min: 0, max: 1, doc: "rate in [0, 1] (default 1)" },
      axis: AXIS_SPEC,
    };
    const o = checkOptions<MinMaxNormOptions>("MinMaxNorm", opts, schema);
    this.minValue = o.minValue ?? 0;
    this.maxValue = o.maxValue ?? 1;
    this.rate = o.rate ?? 1;
    this.axis = checkAxis("MinMaxNorm", o.axis ?? 0);
    if (this.minValue > this.maxValue) throw new Error(`MinMaxNorm: minValue (${this.minValue}) must be <= maxValue (${this.maxValue})`);
  }
  apply(w: Tensor): void {
    const { minValue, maxValue, rate } = this;
    rescale(this.className, checkWeight(this.className, w), this.axis, (n) => rate * Math.min(Math.max(n, minValue), maxValue) + (1 - rate) * n);
  }
  getConfig(): { [key: string]: JsonValue } {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: typeof this.axis === "number" ? this.axis : [...this.axis] };
  }
}

export const maxNorm = (opts: MaxNormOptions = {}): MaxNorm => new MaxNorm(opts);
export const nonNeg = (): NonNeg => new NonNeg();
export const unitNorm = (opts: UnitNormOptions = {}): UnitNorm => new UnitNorm(opts);
export const minMaxNorm = (opts: MinMaxNormOptions = {}): MinMaxNorm => new MinMaxNorm(opts);

type Factory = (config: Record<string, unknown>) => Constraint;
const FACTORIES: ReadonlyArray<[string, Factory]> = [
  ["maxNorm", (c) => new MaxNorm(c)],
  ["nonNeg", (c) => NonNeg.fromConfig(c)],
  ["unitNorm", (c) => new UnitNorm(c)],
  ["minMaxNorm", (c) => new MinMaxNorm(c)],
];
const NAMES = FACTORIES.map(([n]) => n);
const TABLE = new Map<string, Factory>(FACTORIES.map(([n, f]) => [normalizeKerasName(n), f]));

/** The constraint names. */
export function constraintNames(): string[] {
  return [...NAMES];
}

/**
 * A constraint from a name (`"maxNorm"`, `"max_norm"`, `"MaxNorm"`, with defaults), a Keras or
 * TF.js config `{ className, config }` (snake_case keys such as `max_value` accepted), or a
 * constraint (returned as is).
 */
export function getConstraint(identifier: string | SerializedInput | Constraint): Constraint {
  if (typeof identifier === "string") return lookupName("getConstraint", "constraint", identifier, TABLE, NAMES)({});
  if (typeof identifier === "object" && identifier !== null && "apply" in identifier && typeof identifier.apply === "function") return identifier;
  const { className, config } = readSerialized("getConstraint", identifier);
  return lookupName("getConstraint", "constraint", className, TABLE, NAMES)(config);
}

/** `{ className, config }` of a constraint, which `getConstraint` turns back into an equal one. */
export function serializeConstraint(c: Constraint): SerializedObject {
  return { className: c.className, config: c.getConfig() };
}
