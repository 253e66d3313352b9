/**
 * The options of the Keras-style recurrent layers (`layers.simpleRNN / lstm / gru`), Keras's
 * arguments in camelCase with Keras's defaults, their run-time schema, and the reading of a
 * config: Keras's snake_case keys (`recurrent_activation`) and serialized initializers,
 * regularizers and constraints (`{ class_name, config }`) are accepted as well.
 */
import type { JsonValue, LayerConfig } from "../module.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";
import { activationName, getActivation, type ActivationName } from "../activations.js";
import { getInitializer, serializeInitializer, type Initializer } from "../initializers.js";
import { getRegularizer, serializeRegularizer, type Regularizer } from "../regularizers.js";
import { getConstraint, serializeConstraint, type Constraint } from "../constraints.js";
import { camelCaseKeys, type SerializedInput, type SerializedObject } from "../keras-config.js";

/** An initializer by name (`"glorotUniform"`, `"glorot_uniform"`), as `{ className, config }`, or an object. */
export type InitializerInput = string | SerializedInput | Initializer;
/** A regularizer by name (`"l2"`), as `{ className, config }`, or an object (`regularizers.l2(0.01)`). */
export type RegularizerInput = string | SerializedInput | Regularizer;
/** A constraint by name (`"nonNeg"`), as `{ className, config }`, or an object (`constraints.maxNorm()`). */
export type ConstraintInput = string | SerializedInput | Constraint;

/**
 * Keras's recurrent-layer arguments. Defaults are Keras 2+'s and TF.js's (the seed documents
 * Keras 1's `recurrent_activation = "hard_sigmoid"`; Keras 2 and later default to sigmoid, and
 * so does this library).
 */
export interface KerasRecurrentOptions {
  /** Output width H (the hidden state's size). Required. */
  units: number;
  /** Candidate/output nonlinearity (LSTM c̃ and tanh(c), GRU h̃, SimpleRNN h). Default "tanh"; null means "linear". */
  activation?: string | null;
  /**
   * Gate nonlinearity (LSTM i, f, o; GRU z, r). Default "sigmoid". `"hardSigmoid"` (also
   * `"hard_sigmoid"`) is Keras 2's and TF.js's clip(0.2x + 0.5, 0, 1); `"hardSigmoidKeras3"` is
   * Keras 3's relu6(x + 3) / 6. Unused by SimpleRNN.
   */
  recurrentActivation?: string | null;
  /** Learn the bias. Default true. */
  useBias?: boolean;
  /** Initializer of `kernel` (I, G). Default "glorotUniform" (fans of the Keras shape (I, G)). */
  kernelInitializer?: InitializerInput;
  /** Initializer of `recurrent_kernel` (H, G). Default "orthogonal" (on the Keras shape (H, G)). */
  recurrentInitializer?: InitializerInput;
  /** Initializer of the bias. Default "zeros". */
  biasInitializer?: InitializerInput;
  /** LSTM only: the forget gate's bias starts at 1 (added after biasInitializer, as Keras). Default true. */
  unitForgetBias?: boolean;
  /** Penalty on `kernel`, added to the loss by `fit`. Default none. */
  kernelRegularizer?: RegularizerInput | null;
  /** Penalty on `recurrent_kernel`. Default none. */
  recurrentRegularizer?: RegularizerInput | null;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: RegularizerInput | null;
  /** Penalty on each output of a call (the output and, with returnState, the states), as Keras 3. Default none. */
  activityRegularizer?: RegularizerInput | null;
  /** Applied to `kernel` (Keras layout (I, G)) after each optimiser step of `fit`. Default none. */
  kernelConstraint?: ConstraintInput | null;
  /** Applied to `recurrent_kernel` (H, G) after each step. Default none. */
  recurrentConstraint?: ConstraintInput | null;
  /** Applied to the bias after each step. Default none. */
  biasConstraint?: ConstraintInput | null;
  /** Input dropout rate in [0, 1): one (B, I) mask per sequence, reused at every step. Default 0. */
  dropout?: number;
  /** Recurrent dropout rate in [0, 1): one (B, H) mask per sequence on h_{t-1} where it enters the recurrent product. Default 0. */
  recurrentDropout?: number;
  /** Keras's 1 or 2 (how the gate products are grouped). Accepted for compatibility; the fused kernels compute the same function either way. Default 2. */
  implementation?: number;
  /** Accepted for compatibility; the kernels run the loop fused whether or not Keras would unroll it. Default false. */
  unroll?: boolean;
  /** Return the whole output sequence (B, T, H) instead of the last output (B, H). Default false. */
  returnSequences?: boolean;
  /** Also return the final states: [output, h] (SimpleRNN, GRU) or [output, h, c] (LSTM). Default false. */
  returnState?: boolean;
  /** Read the sequence from its last step to its first; the output sequence is in that (reversed) order, as Keras. Default false. */
  goBackwards?: boolean;
  /** With returnSequences, output 0 at masked steps instead of the carried output (Keras's `zero_output_for_mask`; Keras's Bidirectional sets it on its layers and saves it in their configs). Default false, as Keras's RNN and as TF.js. */
  zeroOutputForMask?: boolean;
  /** Keep the final states as the next call's initial states; the batch size is fixed by the first call. Default false. */
  stateful?: boolean;
  /** Input and output are (T, B, ·) instead of (B, T, ·). Default false. */
  timeMajor?: boolean;
  /** GRU only: true (default, Keras 2+, CuDNN and PyTorch): reset gate after the recurrent product, two biases; false: before it (Cho et al. 2014), one bias. */
  resetAfter?: boolean;
  /** Seed of the layer's own generator: initializers without a seed of their own and dropout masks draw from it. Default: the global generator. */
  seed?: number;
  /** Input features I; with it the layer is built (has its parameters) at construction. Default: inferred at the first call. */
  inputDim?: number;
  /** Keras's input shape without the batch, [T, I] (T may be null); its last entry gives inputDim. */
  inputShape?: readonly (number | null)[];
}

/** Which Keras recurrent layer: its own options (unitForgetBias, resetAfter, recurrentActivation) depend on it. */
export type KerasCellKind = "simpleRNN" | "lstm" | "gru";

const REG = { type: "any", doc: "regularizer: name, { className, config } or object" } as const;
const CON = { type: "any", doc: "constraint: name, { className, config } or object" } as const;
const INIT = { type: "any", doc: "initializer: name, { className, config } or object" } as const;
const RATE = { type: "number", min: 0, max: 1, exclusiveMax: true } as const;

const BASE_SCHEMA: OptionSchema = {
  units: { type: "integer", min: 1, optional: false, doc: "output width H" },
  activation: { type: "any", doc: 'default "tanh"' },
  useBias: { type: "boolean", doc: "default true" },
  kernelInitializer: INIT,
  recurrentInitializer: INIT,
  biasInitializer: INIT,
  kernelRegularizer: REG,
  recurrentRegularizer: REG,
  biasRegularizer: REG,
  activityRegularizer: REG,
  kernelConstraint: CON,
  recurrentConstraint: CON,
  biasConstraint: CON,
  dropout: { ...RATE, doc: "input dropout, default 0" },
  recurrentDropout: { ...RATE, doc: "recurrent dropout, default 0" },
  implementation: { type: "integer", min: 1, max: 2, doc: "1 or 2, default 2 (no effect here)" },
  unroll: { type: "boolean", doc: "default false (no effect here)" },
  returnSequences: { type: "boolean", doc: "default false" },
  returnState: { type: "boolean", doc: "default false" },
  goBackwards: { type: "boolean", doc: "default false" },
  zeroOutputForMask: { type: "boolean", doc: "default false" },
  stateful: { type: "boolean", doc: "default false" },
  timeMajor: { type: "boolean", doc: "default false" },
  seed: { type: "integer", doc: "seed of the layer's generator" },
  inputDim: { type: "integer", min: 1, doc: "input features I" },
  inputShape: { type: "any", doc: "[T, I] without the batch" },
};

/** The schema of each layer kind: the shared arguments plus its own. */
export const KERAS_SCHEMAS: Readonly<Record<KerasCellKind, OptionSchema>> = {
  simpleRNN: BASE_SCHEMA,
  lstm: { ...BASE_SCHEMA, recurrentActivation: { type: "any", doc: 'default "sigmoid"' }, unitForgetBias: { type: "boolean", doc: "default true" } },
  gru: { ...BASE_SCHEMA, recurrentActivation: { type: "any", doc: 'default "sigmoid"' }, resetAfter: { type: "boolean", doc: "default true" } },
};

/** The options with every default filled in and every name resolved to an object. */
export interface ResolvedKerasOptions {
  units: number;
  activation: ActivationName;
  recurrentActivation: ActivationName;
  useBias: boolean;
  kernelInitializer: Initializer;
  recurrentInitializer: Initializer;
  biasInitializer: Initializer;
  unitForgetBias: boolean;
  kernelRegularizer: Regularizer | null;
  recurrentRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  activityRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  recurrentConstraint: Constraint | null;
  biasConstraint: Constraint | null;
  dropout: number;
  recurrentDropout: number;
  implementation: number;
  unroll: boolean;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
  stateful: boolean;
  timeMajor: boolean;
  resetAfter: boolean;
  seed: number | null;
  inputDim: number | null;
}

/** The canonical name of an activation option (`"hard_sigmoid"` → "hardSigmoid"; null → "linear"). */
function canonicalActivation(where: string, arg: string, v: unknown, dflt: ActivationName): ActivationName {
  if (v === undefined) return dflt;
  if (v === null) return "linear";
  if (typeof v !== "string") throw new Error(`${where}: ${arg} must be an activation name such as "tanh" or "hardSigmoid", got ${describeArg(v)}`);
  const name = activationName(withWhere(where, arg, () => getActivation(v)));
  if (name === null) throw new Error(`${where}: ${arg} ${JSON.stringify(v)} is not a registered activation`);
  if (name === "softmax" || name === "logSoftmax") throw new Error(`${where}: ${arg} must be elementwise; ${name} mixes units`);
  return name;
}

function withWhere<T>(where: string, arg: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(`${where}: ${arg}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function optional<I, T>(where: string, arg: string, v: I | null | undefined, get: (x: I) => T): T | null {
  if (v === undefined || v === null) return null;
  return withWhere(where, arg, () => get(v));
}

/** Input features from inputDim or inputShape (whose last entry must agree), or null when neither is given. */
function inputDimOf(where: string, o: KerasRecurrentOptions): number | null {
  const shape: unknown = o.inputShape;
  let fromShape: number | null = null;
  if (shape !== undefined) {
    const last: unknown = Array.isArray(shape) ? shape[shape.length - 1] : undefined;
    if (!Array.isArray(shape) || shape.length !== 2 || typeof last !== "number" || !Number.isInteger(last) || last < 1) {
      throw new Error(`${where}: inputShape must be [T, I] (T may be null) with I a positive integer, got ${describeArg(shape)}`);
    }
    fromShape = last;
  }
  const dim = o.inputDim ?? null;
  if (dim !== null && fromShape !== null && dim !== fromShape) throw new Error(`${where}: inputDim (${dim}) and inputShape's last entry (${fromShape}) disagree`);
  return dim ?? fromShape;
}

/** Checks `opts` against the kind's schema (snake_case keys accepted) and resolves every default. */
export function resolveKerasOptions(where: string, kind: KerasCellKind, opts: KerasRecurrentOptions): ResolvedKerasOptions {
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) throw new Error(`${where}: options must be an object such as { units: 32 }, got ${describeArg(opts)}`);
  const o = checkOptions<KerasRecurrentOptions>(where, camelCaseKeysKeepNull(opts), KERAS_SCHEMAS[kind]);
  const gates = kind === "simpleRNN" ? "linear" : "sigmoid";
  return {
    units: o.units,
    activation: canonicalActivation(where, "activation", o.activation, "tanh"),
    recurrentActivation: canonicalActivation(where, "recurrentActivation", o.recurrentActivation, gates),
    useBias: o.useBias ?? true,
    kernelInitializer: withWhere(where, "kernelInitializer", () => getInitializer(o.kernelInitializer ?? "glorotUniform")),
    recurrentInitializer: withWhere(where, "recurrentInitializer", () => getInitializer(o.recurrentInitializer ?? "orthogonal")),
    biasInitializer: withWhere(where, "biasInitializer", () => getInitializer(o.biasInitializer ?? "zeros")),
    unitForgetBias: kind === "lstm" && (o.unitForgetBias ?? true),
    kernelRegularizer: optional(where, "kernelRegularizer", o.kernelRegularizer, getRegularizer),
    recurrentRegularizer: optional(where, "recurrentRegularizer", o.recurrentRegularizer, getRegularizer),
    biasRegularizer: optional(where, "biasRegularizer", o.biasRegularizer, getRegularizer),
    activityRegularizer: optional(where, "activityRegularizer", o.activityRegularizer, getRegularizer),
    kernelConstraint: optional(where, "kernelConstraint", o.kernelConstraint, getConstraint),
    recurrentConstraint: optional(where, "recurrentConstraint", o.recurrentConstraint, getConstraint),
    biasConstraint: optional(where, "biasConstraint", o.biasConstraint, getConstraint),
    dropout: o.dropout ?? 0,
    recurrentDropout: o.recurrentDropout ?? 0,
    implementation: o.implementation ?? 2,
    unroll: o.unroll ?? false,
    returnSequences: o.returnSequences ?? false,
    returnState: o.returnState ?? false,
    goBackwards: o.goBackwards ?? false,
    zeroOutputForMask: o.zeroOutputForMask ?? false,
    stateful: o.stateful ?? false,
    timeMajor: o.timeMajor ?? false,
    resetAfter: kind === "gru" && (o.resetAfter ?? true),
    seed: o.seed ?? null,
    inputDim: inputDimOf(where, o),
  };
}

/** Like camelCaseKeys, but null stays (null is a meaningful "none" for regularizers and activations). */
function camelCaseKeysKeepNull(o: object): KerasRecurrentOptions {
  const nulls = Object.entries(o).filter(([, v]) => v === null).map(([k]) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
  const out = camelCaseKeys(o as Record<string, unknown>);
  for (const k of nulls) out[k] = null;
  return out as unknown as KerasRecurrentOptions;
}

/** The resolved options as JSON (camelCase keys, objects as `{ className, config }`): what `getConfig` returns. */
export function kerasOptionsConfig(kind: KerasCellKind, r: ResolvedKerasOptions): LayerConfig {
  const ser = <T>(v: T | null, f: (x: T) => SerializedObject): JsonValue => (v === null ? null : { className: f(v).className, config: f(v).config });
  const config: LayerConfig = {
    units: r.units,
    activation: r.activation,
    useBias: r.useBias,
    kernelInitializer: ser(r.kernelInitializer, serializeInitializer),
    recurrentInitializer: ser(r.recurrentInitializer, serializeInitializer),
    biasInitializer: ser(r.biasInitializer, serializeInitializer),
    kernelRegularizer: ser(r.kernelRegularizer, serializeRegularizer),
    recurrentRegularizer: ser(r.recurrentRegularizer, serializeRegularizer),
    biasRegularizer: ser(r.biasRegularizer, serializeRegularizer),
    activityRegularizer: ser(r.activityRegularizer, serializeRegularizer),
    kernelConstraint: ser(r.kernelConstraint, serializeConstraint),
    recurrentConstraint: ser(r.recurrentConstraint, serializeConstraint),
    biasConstraint: ser(r.biasConstraint, serializeConstraint),
    dropout: r.dropout,
    recurrentDropout: r.recurrentDropout,
    implementation: r.implementation,
    unroll: r.unroll,
    returnSequences: r.returnSequences,
    returnState: r.returnState,
    goBackwards: r.goBackwards,
    zeroOutputForMask: r.zeroOutputForMask,
    stateful: r.stateful,
    timeMajor: r.timeMajor,
  };
  if (kind !== "simpleRNN") config["recurrentActivation"] = r.recurrentActivation;
  if (kind === "lstm") config["unitForgetBias"] = r.unitForgetBias;
  if (kind === "gru") config["resetAfter"] = r.resetAfter;
  if (r.seed !== null) config["seed"] = r.seed;
  if (r.inputDim !== null) config["inputDim"] = r.inputDim;
  return config;
}

/**
 * Keras's per-layer bookkeeping that does not change what a layer computes: `fromConfig` drops
 * it, so a config written by Keras or TF.js loads.
 */
const BOOKKEEPING: ReadonlySet<string> = new Set(["name", "trainable", "dtype", "useCudnn", "batchSize", "module", "registeredName"]);

/**
 * A layer config as Keras, TF.js or `getConfig()` writes it, as constructor options: keys in
 * camelCase, bookkeeping dropped, `batch_input_shape` / `batch_shape` ([B, T, I]) read as inputDim.
 */
export function kerasConfigOptions<T>(config: LayerConfig): T {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(camelCaseKeysKeepNull(config))) if (!BOOKKEEPING.has(k)) o[k] = v;
  for (const key of ["batchInputShape", "batchShape"]) {
    const shape = o[key];
    delete o[key];
    if (Array.isArray(shape) && o["inputDim"] === undefined && o["inputShape"] === undefined) {
      const last: unknown = shape[shape.length - 1];
      if (typeof last === "number") o["inputDim"] = last;
    }
  }
  return o as T;
}
