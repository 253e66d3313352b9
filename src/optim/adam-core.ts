import type { AdamScalars, AdamTensors, OptimizerKernels } from "../backends/optim-kernels.js";
import { Optimizer } from "./optimizer.js";
import type { ParamLike } from "./param.js";
import type { OptionValue } from "./state.js";
import { betaPair, boolean, knownKeys, optionObject, positive, rate, type OptionInput } from "./validate.js";

/** Options of Adam and AdamW (only weightDecay's default and meaning differ). */
export interface AdamOptions {
  /** Learning rate in [0, 1e6] (`MAX_LR`). Default 1e-3. */
  lr?: number;
  /** Decay rates [β1, β2] of the running mean of the gradient and of its square, each in [0, 1). Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Added to the denominator for numerical stability; must be > 0. Default 1e-8. */
  eps?: number;
  /** Weight decay λ in [0, 1e6]. Adam: L2 penalty added to the gradient, default 0. AdamW: decoupled decay θ ← θ(1 - lr·λ), default 1e-2. */
  weightDecay?: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  amsgrad?: boolean;
  /** Ascend the objective instead of descending it. Default false. */
  maximize?: boolean;
}

export type AdamResolvedOptions = {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
};

const KEYS = ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize"] as const;

function resolve(owner: string, input: OptionInput<AdamOptions> | undefined, defaultDecay: number): AdamResolvedOptions {
  const o = optionObject(owner, input);
  knownKeys(owner, o, KEYS);
  return {
    lr: rate(owner, "lr", o.lr ?? 1e-3),
    betas: betaPair(owner, o.betas ?? [0.9, 0.999]),
    eps: positive(owner, "eps", o.eps ?? 1e-8),
    weightDecay: rate(owner, "weightDecay", o.weightDecay ?? defaultDecay),
    amsgrad: boolean(owner, "amsgrad", o.amsgrad ?? false),
    maximize: boolean(owner, "maximize", o.maximize ?? false),
  };
}

const f = Math.fround;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The Adam update shared by Adam and AdamW (torch 1.13, single-tensor path). With g the
 * gradient, θ the parameter, m and v the running moments and t the parameter's step count:
 *
 *     g ← -g if maximize
 *     θ ← θ·(1 - lr·λ)                       (AdamW)     g ← g + λ·θ if λ ≠ 0   (Adam)
 *     m ← β1·m + (1 - β1)·g
 *     v ← β2·v + (1 - β2)·g²
 *     v̂ ← max(v̂, v) if amsgrad, else v̂ = v
 *     θ ← θ - (lr / (1 - β1ᵗ)) · m / (√v̂ / √(1 - β2ᵗ) + eps)
 *
 * Scalars are computed in float64 and each tensor operation is rounded to float32, in
 * PyTorch's order, so results track PyTorch's float32 ones to the last bit or so.
 */
export abstract class AdamFamily extends Optimizer<AdamResolvedOptions> {
  private readonly expAvg = this.slot("exp_avg");
  private readonly expAvgSq = this.slot("exp_avg_sq");
  private readonly maxExpAvgSq = this.slot("max_exp_avg_sq");
  /** True for AdamW: weight decay shrinks θ directly instead of entering the gradient. */
  private readonly decoupled: boolean;
  private readonly defaultDecay: number;

  protected constructor(kind: "Adam" | "AdamW", params: Iterable<ParamLike>, options: AdamOptions | undefined) {
    const defaultDecay = kind === "AdamW" ? 1e-2 : 0;
    super(kind, params, resolve(kind, options, defaultDecay));
    this.decoupled = kind === "AdamW";
    this.defaultDecay = defaultDecay;
  }

  protected override activeSlots(options: AdamResolvedOptions): readonly string[] {
    return options.amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"];
  }

  protected override decodeOptions(record: Record<string, OptionValue>): AdamResolvedOptions {
    return resolve(`${this.kind}.loadStateDict`, record, this.defaultDecay);
  }

  /** The constants of one step, refilled in place so that a step allocates nothing. */
  private readonly k: Mutable<AdamScalars> = {
    decoupled: false, coupled: false, maximize: false, amsgrad: false, wd: 0, shrink: 0, b1: 0, b2: 0,
    oneMinusB1: 0, oneMinusB2: 0, biasCorrection2Sqrt: 0, negStepSize: 0, eps: 0,
  };

  /** Fills `this.k` for a parameter at update count `step`; both the loop and the kernel use these values. */
  private scalars(step: number): AdamScalars {
    const { lr, betas, eps, weightDecay, amsgrad, maximize } = this.options;
    const [beta1, beta2] = betas;
    const k = this.k;
    k.decoupled = this.decoupled;
    k.coupled = !this.decoupled && weightDecay !== 0;
    k.maximize = maximize;
    k.amsgrad = amsgrad;
    k.wd = f(weightDecay);
    k.shrink = f(1 - lr * weightDecay);
    k.b1 = f(beta1);
    k.b2 = f(beta2);
    k.oneMinusB1 = f(1 - beta1);
    k.oneMinusB2 = f(1 - beta2);
    k.biasCorrection2Sqrt = f(Math.sqrt(1 - beta2 ** step));
    k.negStepSize = f(-(lr / (1 - beta1 ** step)));
    k.eps = f(eps);
    return k;
  }

  /** Per parameter, what the kernel reads: refreshed each step (checkpoints replace buffers). */
  private readonly records: (Mutable<AdamTensors> | null)[] = [];
  private readonly batch: AdamTensors[] = [];
  private kernels: OptimizerKernels | null = null;

  private readonly stepKey = (i: number): number => this.stepOf(i);

  /** One kernel call for the parameters of one step count (which fixes the bias corrections). */
  private readonly runGroup = (step: number, group: readonly number[]): void => {
    const batch = this.batch;
    batch.length = 0;
    const amsgrad = this.options.amsgrad;
    for (let j = 0; j < group.length; j++) {
      const i = group[j];
      const p = this.params[i];
      if (p.grad === null) continue;
      const n = p.data.length;
      const r = (this.records[i] ??= { param: p.data, grad: p.grad.data, expAvg: p.data, expAvgSq: p.data, maxExpAvgSq: null });
      r.param = p.data;
      r.grad = p.grad.data;
      r.expAvg = this.expAvg[i] ??= new Float32Array(n);
      r.expAvgSq = this.expAvgSq[i] ??= new Float32Array(n);
      r.maxExpAvgSq = amsgrad ? (this.maxExpAvgSq[i] ??= new Float32Array(n)) : null;
      batch.push(r);
    }
    this.kernels?.adam(batch, this.scalars(step));
  };

  protected override fusedUpdate(kernels: OptimizerKernels, indices: readonly number[]): boolean {
    // Parameters skipped on earlier steps (no gradient) have other step counts, so other constants.
    this.kernels = kernels;
    this.inGroups(indices, this.stepKey, this.runGroup);
    this.kernels = null;
    return true;
  }

  protected override update(index: number, p: Float32Array, grad: Float32Array, step: number): void {
    const n = p.length;
    // Buffers are created on a parameter's first update, as PyTorch does.
    const m = (this.expAvg[index] ??= new Float32Array(n));
    const v = (this.expAvgSq[index] ??= new Float32Array(n));
    const vMax = this.options.amsgrad ? (this.maxExpAvgSq[index] ??= new Float32Array(n)) : null;
    const { decoupled, coupled, maximize, wd, shrink, b1, b2, oneMinusB1, oneMinusB2, biasCorrection2Sqrt, negStepSize, eps } =
      this.scalars(step);
    const sign = maximize ? -1 : 1;

    for (let j = 0; j < n; j++) {
      let theta = p[j];
      if (decoupled) theta = f(theta * shrink);
      let g = sign * grad[j];
      if (coupled) g = f(g + wd * theta);
      const mj = f(f(m[j] * b1) + oneMinusB1 * g);
      const vj = f(f(v[j] * b2) + f(f(oneMinusB2 * g) * g));
      m[j] = mj;
      v[j] = vj;
      let second = vj;
      if (vMax !== null) {
        // torch.maximum propagates NaN, Math.max does too.
        second = Math.max(vMax[j], vj);
        vMax[j] = second;
      }
      const denom = f(f(f(Math.sqrt(second)) / biasCorrection2Sqrt) + eps);
      p[j] = f(theta + f(f(negStepSize * mj) / denom));
    }
  }
}
