/**
 * Weight regularizers as Keras defines them: a penalty added to the loss, written as an autograd
 * expression so its gradient flows to the weight. `penalty(w) = l1·Σ|w| + l2·Σw²` (a term whose
 * factor is 0 is left out, as Keras does). Layers take them as `kernelRegularizer`,
 * `recurrentRegularizer`, `biasRegularizer` and `activityRegularizer`; the training loop adds
 * their penalties to the loss.
 */
import { Tensor } from "../tensor/tensor.js";
import { abs, mul } from "../autograd/ops/elementwise.js";
import { sum } from "../autograd/ops/reduce.js";
import type { JsonValue } from "./module.js";
import { checkOptions, describeArg, type OptionSchema } from "./options.js";
import { type SerializedObject, type SerializedInput, camelCaseKeys, lookupName, normalizeKerasName, readSerialized } from "./keras-config.js";

/** A penalty on a weight tensor. */
export interface Regularizer {
  /** The Keras class name: "L1", "L2" or "L1L2". */
  readonly className: string;
  /** The penalty as a 0-d tensor on the tape (its gradient flows to `w`). */
  penalty(w: Tensor): Tensor;
  /** The factors as JSON. */
  getConfig(): { [key: string]: JsonValue };
}

export interface L1L2Options {
  /** Factor of Σ|w|. Default 0.01. */
  l1?: number;
  /** Factor of Σw². Default 0.01. */
  l2?: number;
}

const FACTOR = { type: "number", min: 0 } as const;

/**
 * `l1·Σ|w| + l2·Σw²`. Defaults l1 = l2 = 0.01, as Keras's `l1_l2()` and TF.js's `l1l2()`. The
 * gradient of |w| at w = 0 is 0.
 */
export class L1L2 implements Regularizer {
  readonly className: string;
  readonly l1: number;
  readonly l2: number;
  constructor(opts: L1L2Options = {}, className = "L1L2", defaults: Required<L1L2Options> = { l1: 0.01, l2: 0.01 }, schema: OptionSchema = { l1: FACTOR, l2: FACTOR }) {
    this.className = className;
    const o = checkOptions<L1L2Options>(className, opts, schema);
    this.l1 = o.l1 ?? defaults.l1;
    this.l2 = o.l2 ?? defaults.l2;
  }
  /** From `getConfig()` output of an "L1L2" regularizer (use `getRegularizer` for any class name). */
  static fromConfig(config: Record<string, unknown>): L1L2 {
    return new L1L2(camelCaseKeys(config));
  }
  penalty(w: Tensor): Tensor {
    if (!(w instanceof Tensor)) throw new Error(`${this.className}.penalty: w must be a Tensor, got ${describeArg(w)}`);
    let p: Tensor | null = null;
    if (this.l1 !== 0) p = mul(sum(abs(w)), this.l1);
    if (this.l2 !== 0) {
      const t = mul(sum(mul(w, w)), this.l2);
      p = p === null ? t : p.add(t);
    }
    return p ?? new Tensor(new Float32Array(1), []);
  }
  getConfig(): { [key: string]: JsonValue } {
    if (this.className === "L1") return { l1: this.l1 };
    if (this.className === "L2") return { l2: this.l2 };
    return { l1: this.l1, l2: this.l2 };
  }
}

/** `l1·Σ|w|` (default factor 0.01); a number or `{ l1 }`. */
export function l1(factor: number | { l1?: number } = {}): L1L2 {
  const opts = typeof factor === "number" ? { l1: factor } : factor;
  return new L1L2(opts, "L1", { l1: 0.01, l2: 0 }, { l1: FACTOR });
}

/** `l2·Σw²` (default factor 0.01); a number or `{ l2 }`. */
export function l2(factor: number | { l2?: number } = {}): L1L2 {
  const opts = typeof factor === "number" ? { l2: factor } : factor;
  return new L1L2(opts, "L2", { l1: 0, l2: 0.01 }, { l2: FACTOR });
}

/** `l1·Σ|w| + l2·Σw²` (defaults 0.01 each). */
export function l1l2(opts: L1L2Options = {}): L1L2 {
  return new L1L2(opts);
}

type Factory = (config: Record<string, unknown>) => Regularizer;
const FACTORIES: ReadonlyArray<[string, Factory]> = [
  ["l1", (c) => l1(c)],
  ["l2", (c) => l2(c)],
  ["l1l2", (c) => l1l2(c)],
];
const NAMES = FACTORIES.map(([n]) => n);
const TABLE = new Map<string, Factory>(FACTORIES.map(([n, f]) => [normalizeKerasName(n), f]));

/** The regularizer names. */
export function regularizerNames(): string[] {
  return [...NAMES];
}

/**
 * A regularizer from a name (`"l1"`, `"l2"`, `"l1l2"`/`"l1_l2"`, with default factors), a Keras or
 * TF.js config `{ className: "L1L2", config: { l1, l2 } }`, or a regularizer (returned as is).
 */
export function getRegularizer(identifier: string | SerializedInput | Regularizer): Regularizer {
  if (typeof identifier === "string") return lookupName("getRegularizer", "regularizer", identifier, TABLE, NAMES)({});
  if (typeof identifier === "object" && identifier !== null && "penalty" in identifier && typeof identifier.penalty === "function") return identifier;
  const { className, config } = readSerialized("getRegularizer", identifier);
  return lookupName("getRegularizer", "regularizer", className, TABLE, NAMES)(config);
}

/** `{ className, config }` of a regularizer, which `getRegularizer` turns back into an equal one. */
export function serializeRegularizer(r: Regularizer): SerializedObject {
  return { className: r.className, config: r.getConfig() };
}

/**
 * The sum of the penalties of (regularizer, weight) pairs as one 0-d tensor on the tape, or null
 * when there are none: what a training loop adds to the loss.
 */
export function regularizationPenalty(items: Iterable<readonly [Regularizer, Tensor]>): Tensor | null {
  let total: Tensor | null = null;
  for (const [r, w] of items) {
    const p = r.penalty(w);
    total = total === null ? p : total.add(p);
  }
  return total;
}
