import type { OptimizerKernels, RMSpropScalars, RMSpropTensors } from "../backends/optim-kernels.js";
import { Optimizer } from "./optimizer.js";
import type { ParamLike } from "./param.js";
import type { OptionValue } from "./state.js";
import { boolean, knownKeys, optionObject, positive, rate, unitInterval, type OptionInput } from "./validate.js";

export interface RMSpropOptions {
  /** Learning rate in [0, 1e6] (`MAX_LR`). Default 1e-2. */
  lr?: number;
  /** Smoothing constant α in [0, 1] of the running mean of the squared gradient. Default 0.99. */
  alpha?: number;
  /** Added to the denominator for numerical stability; must be > 0. Default 1e-8. */
  eps?: number;
  /** L2 penalty λ in [0, 1e6], added to the gradient as λ·θ. Default 0. */
  weightDecay?: number;
  /** Momentum factor μ in [0, 1]; 0 updates θ directly. Default 0. */
  momentum?: number;
  /** Normalise by an estimate of the gradient's variance instead of its raw second moment. Default false. */
  centered?: boolean;
  /** Ascend the objective instead of descending it. Default false. */
  maximize?: boolean;
}

export type RMSpropResolvedOptions = Required<RMSpropOptions>;

const KEYS = ["lr", "alpha", "eps", "weightDecay", "momentum", "centered", "maximize"] as const;

function resolve(owner: string, input: OptionInput<RMSpropOptions> | undefined): RMSpropResolvedOptions {
  const o = optionObject(owner, input);
  knownKeys(owner, o, KEYS);
  return {
    lr: rate(owner, "lr", o.lr ?? 1e-2),
    alpha: unitInterval(owner, "alpha", o.alpha ?? 0.99),
    eps: positive(owner, "eps", o.eps ?? 1e-8),
    weightDecay: rate(owner, "weightDecay", o.weightDecay ?? 0),
    momentum: unitInterval(owner, "momentum", o.momentum ?? 0),
    centered: boolean(owner, "centered", o.centered ?? false),
    maximize: boolean(owner, "maximize", o.maximize ?? false),
  };
}

const f = Math.fround;

/**
 * RMSprop, as `torch.optim.RMSprop` (1.13, single-tensor path). With g the gradient, θ the
 * parameter, s the running mean of g², ḡ the running mean of g and b the momentum buffer:
 *
 *     g ← -g if maximize;  g ← g + λ·θ if λ ≠ 0
 *     s ← α·s + (1 - α)·g²
 *     d ← √(s - ḡ²) + eps with ḡ ← α·ḡ + (1 - α)·g if centered, else d ← √s + eps
 *     b ← μ·b + g / d and θ ← θ - lr·b if μ > 0, else θ ← θ - lr·g / d
 *
 * Arithmetic is rounded to float32 after each tensor operation PyTorch performs.
 */
export class RMSprop extends Optimizer<RMSpropResolvedOptions> {
  private readonly squareAvg = this.slot("square_avg");
  private readonly momentumBuffer = this.slot("momentum_buffer");
  private readonly gradAvg = this.slot("grad_avg");

  constructor(params: Iterable<ParamLike>, options: RMSpropOptions = {}) {
    super("RMSprop", params, resolve("RMSprop", options));
  }

  protected override activeSlots(options: RMSpropResolvedOptions): readonly string[] {
    const names = ["square_avg"];
    if (options.momentum > 0) names.push("momentum_buffer");
    if (options.centered) names.push("grad_avg");
    return names;
  }

  protected override decodeOptions(record: Record<string, OptionValue>): RMSpropResolvedOptions {
    return resolve("RMSprop.loadStateDict", record);
  }

  /** The constants of a step, refilled in place so that a step allocates nothing. */
  private readonly k: { -readonly [K in keyof RMSpropScalars]: RMSpropScalars[K] } = {
    decay: false, momentum: false, centered: false, maximize: false, wd: 0, a: 0, oneMinusA: 0, eps: 0, mu: 0, negLr: 0,
  };

  /** Fills `this.k`; both the loop and the kernel use these values. */
  private scalars(): RMSpropScalars {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = this.options;
    const k = this.k;
    k.decay = weightDecay !== 0;
    k.momentum = momentum > 0;
    k.centered = centered;
    k.maximize = maximize;
    k.wd = f(weightDecay);
    k.a = f(alpha);
    k.oneMinusA = f(1 - alpha);
    k.eps = f(eps);
    k.mu = f(momentum);
    k.negLr = f(-lr);
    return k;
  }

  /** Per parameter, what the kernel reads: refreshed each step (checkpoints replace buffers). */
  private readonly records: ({ -readonly [K in keyof RMSpropTensors]: RMSpropTensors[K] } | null)[] = [];
  private readonly batch: RMSpropTensors[] = [];

  protected override fusedUpdate(kernels: OptimizerKernels, indices: readonly number[]): boolean {
    const { momentum, centered } = this.options;
    const batch = this.batch;
    batch.length = 0;
    for (let j = 0; j < indices.length; j++) {
      const i = indices[j];
      const p = this.params[i];
      if (p.grad === null) continue;
      const n = p.data.length;
      const r = (this.records[i] ??= { param: p.data, grad: p.grad.data, squareAvg: p.data, momentumBuffer: null, gradAvg: null });
      r.param = p.data;
      r.grad = p.grad.data;
      r.squareAvg = this.squareAvg[i] ??= new Float32Array(n);
      r.momentumBuffer = momentum > 0 ? (this.momentumBuffer[i] ??= new Float32Array(n)) : null;
      r.gradAvg = centered ? (this.gradAvg[i] ??= new Float32Array(n)) : null;
      batch.push(r);
    }
    kernels.rmsprop(batch, this.scalars());
    return true;
  }

  protected override update(index: number, p: Float32Array, grad: Float32Array): void {
    const n = p.length;
    const sq = (this.squareAvg[index] ??= new Float32Array(n));
    const buf = this.options.momentum > 0 ? (this.momentumBuffer[index] ??= new Float32Array(n)) : null;
    const mean = this.options.centered ? (this.gradAvg[index] ??= new Float32Array(n)) : null;
    const { decay, maximize, wd, a, oneMinusA, eps: epsF, mu, negLr } = this.scalars();
    const sign = maximize ? -1 : 1;

    for (let j = 0; j < n; j++) {
      let g = sign * grad[j];
      if (decay) g = f(g + wd * p[j]);
      const s = f(f(sq[j] * a) + f(f(oneMinusA * g) * g));
      sq[j] = s;
      let avg: number;
      if (mean !== null) {
        const gm = f(f(mean[j] * a) + oneMinusA * g);
        mean[j] = gm;
        avg = f(Math.sqrt(f(s + f(-gm * gm))));
      } else {
        avg = f(Math.sqrt(s));
      }
      avg = f(avg + epsF);
      if (buf !== null) {
        const b = f(f(buf[j] * mu) + f(g / avg));
        buf[j] = b;
        p[j] = f(p[j] + negLr * b);
      } else {
        p[j] = f(p[j] + f(f(negLr * g) / avg));
      }
    }
  }
}
