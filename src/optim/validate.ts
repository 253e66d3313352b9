/**
 * Option checks shared by the optimisers. Each throws an error naming the optimiser, the option,
 * what was expected and what came, so a bad hyper-parameter fails at construction time rather
 * than as NaN weights a thousand steps later.
 */

/** A bounded description: a huge array or string in a bad option must not become a huge message. */
export function show(value: unknown): string {
  if (Array.isArray(value)) return value.length > 4 ? `an array of length ${value.length}` : `[${value.map(show).join(", ")}]`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === "object" && value !== null) return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return String(value).slice(0, 80);
}

/** A finite number >= 0 (learning rates, weight decay, momentum, RMSprop's alpha). */
export function nonNegative(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${owner}: ${name} must be a finite number >= 0, got ${show(value)}`);
  }
  return value;
}

/** A finite number > 0 (eps: a zero eps lets a zero second moment divide by zero). */
export function positive(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${owner}: ${name} must be a finite number > 0, got ${show(value)}`);
  }
  return value;
}

/**
 * The largest learning rate (and weight decay) an optimiser accepts. Real schedules stay far
 * below it; beyond it a single step turns float32 weights into Inf/NaN (`lr: 1e300` does so on
 * the first update), which is a typo to report, not a setting to train with.
 */
export const MAX_LR = 1e6;

/** A learning rate or weight decay: a finite number in [0, MAX_LR]. */
export function rate(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_LR) {
    throw new RangeError(`${owner}: ${name} must be a finite number in [0, ${MAX_LR}], got ${show(value)}`);
  }
  return value;
}

/** A factor in [0, 1] (momentum, dampening, RMSprop's alpha): past 1 a running average grows without bound. */
export function unitInterval(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${owner}: ${name} must be a number in [0, 1], got ${show(value)}`);
  }
  return value;
}

/** Any finite number (SGD's dampening, which PyTorch leaves unchecked). */
export function finite(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${owner}: ${name} must be a finite number, got ${show(value)}`);
  }
  return value;
}

export function boolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(`${owner}: ${name} must be true or false, got ${show(value)}`);
  }
  return value;
}

/** Adam's `betas`: two decay rates, each in [0, 1) as PyTorch requires. */
export function betaPair(owner: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new RangeError(`${owner}: betas must be a pair [beta1, beta2], got ${show(value)}`);
  }
  const out: [number, number] = [0, 0];
  for (let k = 0; k < 2; k++) {
    const b: unknown = value[k];
    if (typeof b !== "number" || !(b >= 0 && b < 1)) {
      throw new RangeError(`${owner}: betas[${k}] must be in [0, 1), got ${show(b)}`);
    }
    out[k] = b;
  }
  return out;
}

/** The option object itself: undefined means "all defaults"; anything else must be an object. */
export function optionObject<T extends object>(owner: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${owner}: options must be an object, got ${show(value)}`);
  }
  return value;
}

/** Rejects option names the optimiser does not have (a typo such as `learningRate` would otherwise be ignored). */
export function knownKeys(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${owner}: unknown option "${key}"; the options are ${known.join(", ")}`);
    }
  }
}

/** Options as they arrive: from a typed caller or from a checkpoint's JSON, so every value is checked. */
export type OptionInput<T> = { readonly [K in keyof T]?: unknown };
