/**
 * Run-time checks of option objects. JavaScript callers get no type checker, so every public
 * constructor checks its options against a schema: an unknown name (a typo, or a Keras option
 * given to a PyTorch-style layer) or a value of the wrong type throws an error that names the
 * layer, the option, what was expected and what came, and lists the known names.
 */
import { Tensor } from "../tensor/tensor.js";

/** What one option accepts. `optional` (default true) allows the option to be absent or undefined. */
export type OptionSpec = { optional?: boolean; doc?: string } & (
  | { type: "integer"; min?: number; max?: number }
  | { type: "number"; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }
  | { type: "boolean" }
  | { type: "string" }
  | { type: "enum"; values: readonly (string | null)[] }
  | { type: "object" }
  | { type: "function" }
  | { type: "tensor" }
  | { type: "any" }
);

export type OptionSchema = Readonly<Record<string, OptionSpec>>;

const MAX_QUOTED = 60;

/** A short, bounded description of any value for an error message. */
export function describeArg(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(", ")}]`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return JSON.stringify(v.length > MAX_QUOTED ? `${v.slice(0, MAX_QUOTED)}...` : v);
  if (typeof v === "function") return "a function";
  if (typeof v === "object") return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  if (typeof v === "bigint") return `the bigint ${String(v).slice(0, MAX_QUOTED)}`;
  return String(v);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The known name closest to `name`, if it is close enough to be a likely typo. */
export function didYouMean(name: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function expected(spec: OptionSpec): string {
  switch (spec.type) {
    case "integer":
      if (spec.min !== undefined && spec.max !== undefined) return `an integer in [${spec.min}, ${spec.max}]`;
      if (spec.min === 1) return "a positive integer";
      if (spec.min === 0) return "a non-negative integer";
      return spec.min !== undefined ? `an integer >= ${spec.min}` : "an integer";
    case "number": {
      const lo = spec.min === undefined ? "" : `${spec.exclusiveMin === true ? ">" : ">="} ${spec.min}`;
      const hi = spec.max === undefined ? "" : `${spec.exclusiveMax === true ? "<" : "<="} ${spec.max}`;
      const range = [lo, hi].filter((s) => s !== "").join(" and ");
      return range === "" ? "a finite number" : `a finite number ${range}`;
    }
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    case "enum":
      return `one of ${spec.values.map((v) => (v === null ? "null" : JSON.stringify(v))).join(", ")}`;
    case "object":
      return "an object";
    case "function":
      return "a function";
    case "tensor":
      return "a Tensor";
    case "any":
      return "a value";
  }
}

function accepts(spec: OptionSpec, v: unknown): boolean {
  switch (spec.type) {
    case "integer":
      return typeof v === "number" && Number.isSafeInteger(v) && (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max);
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) return false;
      if (spec.min !== undefined && (spec.exclusiveMin === true ? v <= spec.min : v < spec.min)) return false;
      if (spec.max !== undefined && (spec.exclusiveMax === true ? v >= spec.max : v > spec.max)) return false;
      return true;
    case "boolean":
      return typeof v === "boolean";
    case "string":
      return typeof v === "string";
    case "enum":
      return spec.values.includes(v as string | null);
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "function":
      return typeof v === "function";
    case "tensor":
      return v instanceof Tensor;
    case "any":
      return true;
  }
}

/**
 * Checks `opts` against `schema` and returns it typed. Throws, naming `where` (the layer or
 * function), for: `opts` not a plain object, an unknown option (with a "did you mean" and the
 * known names), a missing required option, or a value of the wrong type or range.
 */
export function checkOptions<T extends object>(where: string, opts: unknown, schema: OptionSchema, { allowMissing = false } = {}): T {
  if (opts === undefined && allowMissing) return {} as T;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw new Error(`${where}: options must be an object, got ${describeArg(opts)}`);
  }
  const known = Object.keys(schema);
  for (const name of Object.keys(opts)) {
    if (!Object.prototype.hasOwnProperty.call(schema, name)) {
      const guess = didYouMean(name, known);
      const hint = guess === null ? "" : ` (did you mean "${guess}"?)`;
      throw new Error(`${where}: unknown option ${describeArg(name)}${hint}; known options: ${known.join(", ")}`);
    }
  }
  const rec = opts as Record<string, unknown>;
  for (const [name, spec] of Object.entries(schema)) {
    const v = rec[name];
    if (v === undefined) {
      if (spec.optional === false) throw new Error(`${where}: option ${name} is required (${expected(spec)})`);
      continue;
    }
    if (!accepts(spec, v)) throw new Error(`${where}: option ${name} must be ${expected(spec)}, got ${describeArg(v)}`);
  }
  return opts as T;
}
