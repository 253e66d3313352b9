import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "./mode.js";
import { Generator } from "../tensor/random.js";

export interface GradCheckOptions {
  /** Central-difference step. Default 1e-2 (float32 needs a large step to beat rounding). */
  eps?: number;
  /** Allowed |analytic - numeric| ≤ atol + rtol·|numeric|. Defaults 1e-3 and 1e-2. */
  atol?: number;
  rtol?: number;
  /** Check at most this many elements per input (chosen at random); default all. */
  maxPerInput?: number;
  /** Seed for the random projection of the output and the element choice. Default 0. */
  seed?: number;
}

export interface GradCheckResult {
  ok: boolean;
  maxAbsError: number;
  /** First failures as human-readable lines. */
  failures: string[];
}

/**
 * Compares the gradients that backward() computes with central differences of
 * L = sum(f(inputs) · W) for a fixed random W, for every input with requiresGrad.
 */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradCheckOptions = {}): GradCheckResult {
  const eps = opts.eps ?? 1e-2;
  const atol = opts.atol ?? 1e-3;
  const rtol = opts.rtol ?? 1e-2;
  const rng = new Generator(opts.seed ?? 0);
  const probe = noGrad(() => f(...inputs));
  const w = new Float32Array(probe.size);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal();
  const weight = new Tensor(w, probe.shape);
  const loss = (): number => {
    const y = noGrad(() => f(...inputs));
    let s = 0;
    for (let i = 0; i < y.size; i++) s += y.data[i]! * w[i]!;
    return s;
  };
  for (const x of inputs) x.grad = null;
  f(...inputs).mul(weight).sum().backward();

  const failures: string[] = [];
  let maxAbsError = 0;
  inputs.forEach((x, k) => {
    if (!x.requiresGrad) return;
    const analytic = x.grad?.data ?? new Float32Array(x.size);
    let idx = Array.from({ length: x.size }, (_, i) => i);
    if (opts.maxPerInput !== undefined && idx.length > opts.maxPerInput) idx = rng.shuffle(idx).slice(0, opts.maxPerInput);
    for (const i of idx) {
      const orig = x.data[i]!;
      x.data[i] = orig + eps;
      const up = loss();
      x.data[i] = orig - eps;
      const down = loss();
      x.data[i] = orig;
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(analytic[i]! - numeric);
      maxAbsError = Math.max(maxAbsError, err);
      if (err > atol + rtol * Math.abs(numeric) && failures.length < 10) {
        failures.push(`input ${k} element ${i}: analytic ${analytic[i]} vs numeric ${numeric}`);
      }
    }
  });
  return { ok: failures.length === 0, maxAbsError, failures };
}
