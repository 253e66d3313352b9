/**
 * Weight initializers with Keras's names and semantics, seeded from the library's `Generator`.
 *
 * Fans follow Keras for a kernel in Keras's layout: a 2-D shape (rows, cols) has
 * fanIn = rows and fanOut = cols (a Keras Dense kernel is (inputs, units); a PyTorch weight is
 * (out, in), so initialise its transpose's shape); 1-D: fanIn = fanOut = shape[0]; N-D (conv):
 * the last two dims times the product of the others (the receptive field).
 *
 * Randomness: `apply(shape, generator?)` draws from `generator` when one is passed, else from a
 * fresh `Generator(seed)` when the initializer was given a `seed` (the same values every call, as
 * a seeded Keras initializer), else from the global generator (`manualSeed`).
 */
import { Tensor } from "../tensor/tensor.js";
import { type Shape, shapeStr, sizeOf, checkShape } from "../tensor/shape.js";
import { Generator, globalGenerator } from "../tensor/random.js";
import type { JsonValue } from "./module.js";
import { checkOptions, describeArg, type OptionSchema } from "./options.js";
import { type SerializedObject, type SerializedInput, lookupName, normalizeKerasName, readSerialized } from "./keras-config.js";

/** Makes a new weight tensor of a given shape. */
export interface Initializer {
  /** The Keras class name, e.g. "GlorotUniform". */
  readonly className: string;
  /** A new tensor of `shape` (see the module comment for where randomness comes from). */
  apply(shape: Shape, generator?: Generator): Tensor;
  /** The constructor options as JSON (with `seed: null` when unseeded, as Keras writes it). */
  getConfig(): { [key: string]: JsonValue };
}

/** `[fanIn, fanOut]` of a shape, as Keras computes them (see the module comment). */
export function computeFans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i]!;
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

/** Options shared by the random initializers. */
export interface SeedOptions {
  /** Seed of a private generator, so every call gives the same values. Default: none (the global generator). */
  seed?: number;
}

const SEED: OptionSchema = { seed: { type: "integer", doc: "seed of a private generator (default: the global generator)" } };

function pickGenerator(seed: number | undefined, generator: Generator | undefined): Generator {
  if (generator !== undefined) return generator;
  return seed === undefined ? globalGenerator : new Generator(seed);
}

function checkedShape(where: string, shape: Shape): Shape {
  if (!Array.isArray(shape)) throw new Error(`${where}.apply: shape must be an array of non-negative integers, got ${describeArg(shape)}`);
  checkShape(shape, `${where}.apply`);
  return shape;
}

function fill(shape: Shape, draw: () => number): Tensor {
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = draw();
  return new Tensor(d, shape);
}

/** A standard normal deviate redrawn until it lies within 2 standard deviations (Keras's truncation). */
function truncatedStandardNormal(g: Generator): number {
  for (;;) {
    const z = g.normal();
    if (Math.abs(z) <= 2) return z;
  }
}

/** All zeros. */
export class Zeros implements Initializer {
  readonly className = "Zeros";
  apply(shape: Shape): Tensor {
    return fill(checkedShape(this.className, shape), () => 0);
  }
  getConfig(): { [key: string]: JsonValue } {
    return {};
  }
}

/** All ones. */
export class Ones implements Initializer {
  readonly className = "Ones";
  apply(shape: Shape): Tensor {
    return fill(checkedShape(this.className, shape), () => 1);
  }
  getConfig(): { [key: string]: JsonValue } {
    return {};
  }
}

export interface ConstantOptions {
  /** The value of every element. Default 0. */
  value?: number;
}

/** Every element `value` (default 0). */
export class Constant implements Initializer {
  readonly className = "Constant";
  readonly value: number;
  constructor(opts: ConstantOptions = {}) {
    this.value = checkOptions<ConstantOptions>("Constant", opts, { value: { type: "number", doc: "the value (default 0)" } }).value ?? 0;
  }
  apply(shape: Shape): Tensor {
    return fill(checkedShape(this.className, shape), () => this.value);
  }
  getConfig(): { [key: string]: JsonValue } {
    return { value: this.value };
  }
}

export interface RandomNormalOptions extends SeedOptions {
  /** Mean. Default 0. */
  mean?: number;
  /** Standard deviation. Default 0.05. */
  stddev?: number;
}

const NORMAL_SCHEMA: OptionSchema = {
  mean: { type: "number", doc: "mean (default 0)" },
  stddev: { type: "number", min: 0, doc: "standard deviation (default 0.05)" },
  ...SEED,
};

/** Normal samples: mean + stddev · N(0, 1) (Keras defaults mean 0, stddev 0.05). */
export class RandomNormal implements Initializer {
  readonly className: string;
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | undefined;
  constructor(opts: RandomNormalOptions = {}, className = "RandomNormal") {
    this.className = className;
    const o = checkOptions<RandomNormalOptions>(className, opts, NORMAL_SCHEMA);
    this.mean = o.mean ?? 0;
    this.stddev = o.stddev ?? 0.05;
    this.seed = o.seed;
  }
  apply(shape: Shape, generator?: Generator): Tensor {
    const g = pickGenerator(this.seed, generator);
    return fill(checkedShape(this.className, shape), () => this.mean + this.stddev * g.normal());
  }
  getConfig(): { [key: string]: JsonValue } {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** Normal samples redrawn when more than 2 standard deviations from the mean (Keras defaults mean 0, stddev 0.05). */
export class TruncatedNormal extends RandomNormal {
  constructor(opts: RandomNormalOptions = {}) {
    super(opts, "TruncatedNormal");
  }
  override apply(shape: Shape, generator?: Generator): Tensor {
    const g = pickGenerator(this.seed, generator);
    return fill(checkedShape(this.className, shape), () => this.mean + this.stddev * truncatedStandardNormal(g));
  }
}

export interface RandomUniformOptions extends SeedOptions {
  /** Lower bound (inclusive). Default -0.05. */
  minval?: number;
  /** Upper bound (exclusive). Default 0.05. */
  maxval?: number;
}

/** Uniform samples in [minval, maxval) (Keras defaults -0.05, 0.05). */
export class RandomUniform implements Initializer {
  readonly className = "RandomUniform";
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | undefined;
  constructor(opts: RandomUniformOptions = {}) {
    const o = checkOptions<RandomUniformOptions>(this.className, opts, {
      minval: { type: "number", doc: "lower bound (default -0.05)" },
      maxval: { type: "number", doc: "upper bound (default 0.05)" },
      ...SEED,
    });
    this.minval = o.minval ?? -0.05;
    this.maxval = o.maxval ?? 0.05;
    if (!(this.maxval >= this.minval)) throw new Error(`RandomUniform: maxval (${this.maxval}) must be >= minval (${this.minval})`);
    this.seed = o.seed;
  }
  apply(shape: Shape, generator?: Generator): Tensor {
    const g = pickGenerator(this.seed, generator);
    return fill(checkedShape(this.className, shape), () => g.uniformRange(this.minval, this.maxval));
  }
  getConfig(): { [key: string]: JsonValue } {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

/** Which fan divides the scale. */
export type FanMode = "fanIn" | "fanOut" | "fanAvg";
/** The sampling distribution of a variance-scaling initializer. */
export type ScalingDistribution = "truncatedNormal" | "untruncatedNormal" | "uniform";

export interface VarianceScalingOptions extends SeedOptions {
  /** Variance scale factor. Default 1. */
  scale?: number;
  /** n = fanIn, fanOut or their average. Default "fanIn" (Keras's "fan_in" is accepted too). */
  mode?: FanMode;
  /**
   * "truncatedNormal" (std √(scale/n) / 0.87962566103423978, truncated at 2 sd, so the variance is
   * scale/n), "untruncatedNormal" (std √(scale/n)) or "uniform" (limit √(3·scale/n)). Default
   * "truncatedNormal" (Keras's snake_case names and Keras 2's "normal" are accepted too).
   */
  distribution?: ScalingDistribution;
}

const MODES: Readonly<Record<string, FanMode>> = { fanin: "fanIn", fanout: "fanOut", fanavg: "fanAvg" };
const DISTRIBUTIONS: Readonly<Record<string, ScalingDistribution>> = {
  truncatednormal: "truncatedNormal",
  normal: "truncatedNormal",
  untruncatednormal: "untruncatedNormal",
  uniform: "uniform",
};

/** Std of a standard normal truncated to [-2, 2]; dividing by it restores the intended variance. */
const TRUNCATED_STD = 0.87962566103423978;

/** Samples whose variance is `scale / n`, n chosen by `mode`: the base of the Glorot, He and LeCun initializers. */
export class VarianceScaling implements Initializer {
  readonly className: string;
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  readonly seed: number | undefined;
  constructor(opts: VarianceScalingOptions = {}, className = "VarianceScaling") {
    this.className = className;
    const o = checkOptions<Record<string, unknown>>(className, opts, {
      scale: { type: "number", min: 0, exclusiveMin: true, doc: "variance scale (default 1)" },
      mode: { type: "string", doc: "fanIn, fanOut or fanAvg (default fanIn)" },
      distribution: { type: "string", doc: "truncatedNormal, untruncatedNormal or uniform (default truncatedNormal)" },
      ...SEED,
    });
    this.scale = typeof o["scale"] === "number" ? o["scale"] : 1;
    this.mode = pickEnum(className, "mode", o["mode"], MODES, "fanIn");
    this.distribution = pickEnum(className, "distribution", o["distribution"], DISTRIBUTIONS, "truncatedNormal");
    this.seed = typeof o["seed"] === "number" ? o["seed"] : undefined;
  }
  apply(shape: Shape, generator?: Generator): Tensor {
    const s = checkedShape(this.className, shape);
    const [fanIn, fanOut] = computeFans(s);
    const n = Math.max(1, this.mode === "fanIn" ? fanIn : this.mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2);
    const variance = this.scale / n;
    const g = pickGenerator(this.seed, generator);
    if (this.distribution === "uniform") {
      const limit = Math.sqrt(3 * variance);
      return fill(s, () => g.uniformRange(-limit, limit));
    }
    if (this.distribution === "untruncatedNormal") {
      const std = Math.sqrt(variance);
      return fill(s, () => std * g.normal());
    }
    const std = Math.sqrt(variance) / TRUNCATED_STD;
    return fill(s, () => std * truncatedStandardNormal(g));
  }
  getConfig(): { [key: string]: JsonValue } {
    if (this.className !== "VarianceScaling") return { seed: this.seed ?? null };
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

function pickEnum<T extends string>(where: string, arg: string, v: unknown, table: Readonly<Record<string, T>>, dflt: T): T {
  if (v === undefined) return dflt;
  const hit = typeof v === "string" ? table[normalizeKerasName(v)] : undefined;
  if (hit === undefined) {
    throw new Error(`${where}: option ${arg} must be one of ${[...new Set(Object.values(table))].join(", ")}, got ${describeArg(v)}`);
  }
  return hit;
}

/** Glorot (Xavier) uniform: limit √(6 / (fanIn + fanOut)). Keras's default kernel initializer. */
export const glorotUniform = (opts: SeedOptions = {}): VarianceScaling =>
  new VarianceScaling({ ...checkSeed("GlorotUniform", opts), scale: 1, mode: "fanAvg", distribution: "uniform" }, "GlorotUniform");
/** Glorot (Xavier) normal: truncated normal with variance 2 / (fanIn + fanOut). */
export const glorotNormal = (opts: SeedOptions = {}): VarianceScaling =>
  new VarianceScaling({ ...checkSeed("GlorotNormal", opts), scale: 1, mode: "fanAvg", distribution: "truncatedNormal" }, "GlorotNormal");
/** He normal: truncated normal with variance 2 / fanIn. */
export const heNormal = (opts: SeedOptions = {}): VarianceScaling =>
  new VarianceScaling({ ...checkSeed("HeNormal", opts), scale: 2, mode: "fanIn", distribution: "truncatedNormal" }, "HeNormal");
/** He uniform: limit √(6 / fanIn). */
export const heUniform = (opts: SeedOptions = {}): VarianceScaling =>
  new VarianceScaling({ ...checkSeed("HeUniform", opts), scale: 2, mode: "fanIn", distribution: "uniform" }, "HeUniform");
/** LeCun normal: truncated normal with variance 1 / fanIn. */
export const lecunNormal = (opts: SeedOptions = {}): VarianceScaling =>
  new VarianceScaling({ ...checkSeed("LecunNormal", opts), scale: 1, mode: "fanIn", distribution: "truncatedNormal" }, "LecunNormal");
/** LeCun uniform: limit √(3 / fanIn). */
export const lecunUniform = (opts: SeedOptions = {}): VarianceScaling =>
  new VarianceScaling({ ...checkSeed("LecunUniform", opts), scale: 1, mode: "fanIn", distribution: "uniform" }, "LecunUniform");

function checkSeed(where: string, opts: SeedOptions): SeedOptions {
  return checkOptions<SeedOptions>(where, opts, SEED);
}

export interface OrthogonalOptions extends SeedOptions {
  /** Multiplies the orthogonal matrix. Default 1. */
  gain?: number;
}

/**
 * A (semi-)orthogonal matrix times `gain`, as Keras makes it: the shape is viewed as
 * (rows = product of all dims but the last, cols = last dim); a (max, min) matrix of N(0, 1)
 * samples is factored A = QR (Householder, in float64), Q's columns are multiplied by the signs
 * of R's diagonal (so the result is uniformly distributed), and Q is transposed when rows < cols.
 * So QᵀQ = gain²·I when rows ≥ cols, QQᵀ = gain²·I otherwise. Needs at least 2 dims.
 */
export class Orthogonal implements Initializer {
  readonly className = "Orthogonal";
  readonly gain: number;
  readonly seed: number | undefined;
  constructor(opts: OrthogonalOptions = {}) {
    const o = checkOptions<OrthogonalOptions>("Orthogonal", opts, { gain: { type: "number", doc: "multiplier (default 1)" }, ...SEED });
    this.gain = o.gain ?? 1;
    this.seed = o.seed;
  }
  apply(shape: Shape, generator?: Generator): Tensor {
    const s = checkedShape(this.className, shape);
    if (s.length < 2) throw new Error(`Orthogonal.apply: shape must have at least 2 dims, got ${shapeStr(s)}`);
    const cols = s[s.length - 1]!;
    const rows = sizeOf(s) / Math.max(cols, 1);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const g = pickGenerator(this.seed, generator);
    const a = new Float64Array(m * n);
    for (let i = 0; i < a.length; i++) a[i] = g.normal();
    const q = householderQ(a, m, n);
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = this.gain * q[i * n + j]!;
        // (m, n) is (rows, cols) unless rows < cols, where the result is Qᵀ.
        if (rows >= cols) out[i * cols + j] = v;
        else out[j * cols + i] = v;
      }
    }
    return new Tensor(out, s);
  }
  getConfig(): { [key: string]: JsonValue } {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

/**
 * The Q of A = QR for a row-major (m, n) matrix A with m ≥ n, by Householder reflections, with
 * each column of Q multiplied by the sign of R's diagonal entry (+1 where that entry is 0). A is
 * overwritten. Returns Q as a row-major (m, n) array.
 */
export function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const diag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m - k);
    if (norm === 0) {
      vs.push(v);
      diag[k] = 0;
      continue;
    }
    const x0 = a[k * n + k]!;
    // alpha takes x0's opposite sign so that x0 - alpha does not cancel.
    const alpha = x0 >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k]!;
    v[0] = x0 - alpha;
    let vn = 0;
    for (let i = 0; i < v.length; i++) vn += v[i]! ** 2;
    vn = Math.sqrt(vn);
    for (let i = 0; i < v.length; i++) v[i]! /= vn;
    // A[k:, k:] -= 2 v (vᵀ A[k:, k:])
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k]! * a[i * n + j]!;
      for (let i = k; i < m; i++) a[i * n + j]! -= 2 * v[i - k]! * dot;
    }
    diag[k] = alpha;
    vs.push(v);
  }
  // Q = H0 H1 … H(n-1) applied to the first n columns of the identity, innermost reflection first.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k]! * q[i * n + j]!;
      for (let i = k; i < m; i++) q[i * n + j]! -= 2 * v[i - k]! * dot;
    }
  }
  for (let j = 0; j < n; j++) {
    if (diag[j]! < 0) for (let i = 0; i < m; i++) q[i * n + j] = -q[i * n + j]!;
  }
  return q;
}

export interface IdentityOptions {
  /** Multiplies the identity. Default 1. */
  gain?: number;
}

/** `gain` times the identity matrix (2-D shapes only; a non-square shape gets ones on its main diagonal, as Keras's eye). */
export class Identity implements Initializer {
  readonly className = "Identity";
  readonly gain: number;
  constructor(opts: IdentityOptions = {}) {
    this.gain = checkOptions<IdentityOptions>("Identity", opts, { gain: { type: "number", doc: "multiplier (default 1)" } }).gain ?? 1;
  }
  apply(shape: Shape): Tensor {
    const s = checkedShape(this.className, shape);
    if (s.length !== 2) throw new Error(`Identity.apply: shape must be 2-D (rows, cols), got ${shapeStr(s)}`);
    const [r, c] = s as [number, number];
    const d = new Float32Array(r * c);
    for (let i = 0; i < Math.min(r, c); i++) d[i * c + i] = this.gain;
    return new Tensor(d, s);
  }
  getConfig(): { [key: string]: JsonValue } {
    return { gain: this.gain };
  }
}

/** Factory functions by canonical Keras (camelCase) name; each takes the class's options. */
export const zeros = (): Zeros => new Zeros();
export const ones = (): Ones => new Ones();
export const constant = (opts: ConstantOptions = {}): Constant => new Constant(opts);
export const randomNormal = (opts: RandomNormalOptions = {}): RandomNormal => new RandomNormal(opts);
export const randomUniform = (opts: RandomUniformOptions = {}): RandomUniform => new RandomUniform(opts);
export const truncatedNormal = (opts: RandomNormalOptions = {}): TruncatedNormal => new TruncatedNormal(opts);
export const varianceScaling = (opts: VarianceScalingOptions = {}): VarianceScaling => new VarianceScaling(opts);
export const orthogonal = (opts: OrthogonalOptions = {}): Orthogonal => new Orthogonal(opts);
export const identity = (opts: IdentityOptions = {}): Identity => new Identity(opts);

type Factory = (config: Record<string, unknown>) => Initializer;

/** Every initializer: canonical name and the factory that builds it from a (camelCase) config. */
const FACTORIES: ReadonlyArray<[string, Factory]> = [
  ["zeros", () => new Zeros()],
  ["ones", () => new Ones()],
  ["constant", (c) => new Constant(c)],
  ["randomNormal", (c) => new RandomNormal(c)],
  ["randomUniform", (c) => new RandomUniform(c)],
  ["truncatedNormal", (c) => new TruncatedNormal(c)],
  ["varianceScaling", (c) => new VarianceScaling(c)],
  ["glorotUniform", (c) => glorotUniform(c)],
  ["glorotNormal", (c) => glorotNormal(c)],
  ["heNormal", (c) => heNormal(c)],
  ["heUniform", (c) => heUniform(c)],
  ["lecunNormal", (c) => lecunNormal(c)],
  ["lecunUniform", (c) => lecunUniform(c)],
  ["orthogonal", (c) => new Orthogonal(c)],
  ["identity", (c) => new Identity(c)],
];
const NAMES = FACTORIES.map(([n]) => n);
const TABLE = new Map<string, Factory>(FACTORIES.map(([n, f]) => [normalizeKerasName(n), f]));
// Keras 2 spellings of the same classes.
TABLE.set("zero", TABLE.get("zeros")!);
TABLE.set("one", TABLE.get("ones")!);

/** The canonical initializer names. */
export function initializerNames(): string[] {
  return [...NAMES];
}

/**
 * An initializer from a name (`"glorotUniform"`, `"glorot_uniform"`, `"GlorotUniform"`), a Keras
 * or TF.js config `{ className, config }` (snake_case keys and values such as `"fan_in"`
 * accepted; `seed: null` means unseeded), or an initializer (returned as is). Throws listing the
 * known names for an unknown one.
 */
export function getInitializer(identifier: string | SerializedInput | Initializer): Initializer {
  if (typeof identifier === "string") return lookupName("getInitializer", "initializer", identifier, TABLE, NAMES)({});
  if (isInitializer(identifier)) return identifier;
  const { className, config } = readSerialized("getInitializer", identifier);
  return lookupName("getInitializer", "initializer", className, TABLE, NAMES)(config);
}

/** `{ className, config }` of an initializer, which `getInitializer` turns back into an equal one. */
export function serializeInitializer(init: Initializer): SerializedObject {
  return { className: init.className, config: init.getConfig() };
}

function isInitializer(v: unknown): v is Initializer {
  return typeof v === "object" && v !== null && typeof (v as { apply?: unknown }).apply === "function" && "className" in v;
}
