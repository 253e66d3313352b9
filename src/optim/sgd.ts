import type { OptimizerKernels, SGDScalars, SGDTensors } from "../backends/optim-kernels.js";
import { Optimizer } from "./optimizer.js";
import type { ParamLike } from "./param.js";
import type { OptionValue } from "./state.js";
import { boolean, knownKeys, optionObject, rate, unitInterval, type OptionInput } from "./validate.js";

export interface SGDOptions {
  /** Learning rate in [0, 1e6] (`MAX_LR`). Required: PyTorch's SGD has no default either. */
  lr: number;
  /** Momentum factor μ in [0, 1]. Default 0 (plain SGD, no buffer). */
  momentum?: number;
  /** Dampening τ in [0, 1]: the gradient enters the momentum buffer scaled by 1 - τ. Default 0. */
  dampening?: number;
  /** L2 penalty λ in [0, 1e6], added to the gradient as λ·θ. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0. Default false. */
  nesterov?: boolean;
  /** Ascend the objective instead of descending it. Default false. */
  maximize?: boolean;
}

export type SGDResolvedOptions = Required<SGDOptions>;

const KEYS = ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize"] as const;

function resolve(owner: string, input: OptionInput<SGDOptions> | undefined): SGDResolvedOptions {
  const o = optionObject(owner, input);
  knownKeys(owner, o, KEYS);
  if (o.lr === undefined) throw new TypeError(`${owner}: lr is required (SGD has no default learning rate)`);
  const r: SGDResolvedOptions = {
    lr: rate(owner, "lr", o.lr),
    momentum: unitInterval(owner, "momentum", o.momentum ?? 0),
    dampening: unitInterval(owner, "dampening", o.dampening ?? 0),
    weightDecay: rate(owner, "weightDecay", o.weightDecay ?? 0),
    nesterov: boolean(owner, "nesterov", o.nesterov ?? false),
    maximize: boolean(owner, "maximize", o.maximize ?? false),
  };
  if (r.nesterov && (r.momentum <= 0 || r.dampening !== 0)) {
    throw new RangeError(
      `${owner}: nesterov requires momentum > 0 and dampening 0, got momentum ${r.momentum} and dampening ${r.dampening}`,
    );
  }
  return r;
}

const f = Math.fround;

/**
 * Stochastic gradient descent with optional momentum, as `torch.optim.SGD` (1.13, single-tensor
 * path). With g the gradient, θ the parameter and b the momentum buffer:
 *
 *     g ← -g if maximize;  g ← g + λ·θ if λ ≠ 0
 *     b ← g on the first step, else b ← μ·b + (1 - τ)·g        (only if μ ≠ 0)
 *     g ← g + μ·b if nesterov, else g ← b                      (only if μ ≠ 0)
 *     θ ← θ - lr·g
 *
 * Arithmetic is rounded to float32 after each tensor operation PyTorch performs, so results
 * track PyTorch's float32 ones to the last bit or so.
 */
export class SGD extends Optimizer<SGDResolvedOptions> {
  private readonly momentumBuffer = this.slot("momentum_buffer");

  constructor(params: Iterable<ParamLike>, options: SGDOptions) {
    super("SGD", params, resolve("SGD", options));
  }

  protected override activeSlots(options: SGDResolvedOptions): readonly string[] {
    return options.momentum !== 0 ? ["momentum_buffer"] : [];
  }

  protected override decodeOptions(record: Record<string, OptionValue>): SGDResolvedOptions {
    return resolve("SGD.loadStateDict", record);
  }

  /** The constants of one step, refilled in place so that a step allocates nothing. */
  private readonly k: { -readonly [K in keyof SGDScalars]: SGDScalars[K] } = {
    decay: false, first: false, nesterov: false, maximize: false, wd: 0, mu: 0, keep: 0, negLr: 0,
  };

  /** Fills `this.k`; both the loop and the kernel use these values. */
  private scalars(first: boolean): SGDScalars {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = this.options;
    const k = this.k;
    k.decay = weightDecay !== 0;
    k.first = first;
    k.nesterov = nesterov;
    k.maximize = maximize;
    k.wd = f(weightDecay);
    k.mu = f(momentum);
    k.keep = f(1 - dampening);
    k.negLr = f(-lr);
    return k;
  }

  /** The momentum buffer of `params[index]` (created on its first update), or null without momentum. */
  private buffer(index: number, n: number): Float32Array | null {
    if (this.options.momentum === 0) return null;
    return (this.momentumBuffer[index] ??= new Float32Array(n));
  }

  /** Per parameter, what the kernel reads: refreshed each step (checkpoints replace buffers). */
  private readonly records: ({ -readonly [K in keyof SGDTensors]: SGDTensors[K] } | null)[] = [];
  private readonly batch: SGDTensors[] = [];
  private kernels: OptimizerKernels | null = null;

  /** 1 for a parameter whose momentum buffer does not exist yet (its first step copies the gradient). */
  private readonly firstKey = (i: number): number => (this.momentumBuffer[i] === null ? 1 : 0);

  private readonly runGroup = (first: number, group: readonly number[]): void => {
    const batch = this.batch;
    batch.length = 0;
    for (let j = 0; j < group.length; j++) {
      const i = group[j];
      const p = this.params[i];
      if (p.grad === null) continue;
      const r = (this.records[i] ??= { param: p.data, grad: p.grad.data, momentumBuffer: null });
      r.param = p.data;
      r.grad = p.grad.data;
      r.momentumBuffer = this.buffer(i, p.data.length);
      batch.push(r);
    }
    this.kernels?.sgd(batch, this.scalars(first === 1));
  };

  protected override fusedUpdate(kernels: OptimizerKernels, indices: readonly number[]): boolean {
    this.kernels = kernels;
    this.inGroups(indices, this.firstKey, this.runGroup);
    this.kernels = null;
    return true;
  }

  protected override update(index: number, p: Float32Array, grad: Float32Array): void {
    const first = this.momentumBuffer[index] === null;
    const buf = this.buffer(index, p.length);
    const { decay, nesterov, maximize, wd, mu, keep, negLr } = this.scalars(first);
    const sign = maximize ? -1 : 1;
    for (let j = 0; j < p.length; j++) {
      let d = sign * grad[j];
      if (decay) d = f(d + wd * p[j]);
      if (buf !== null) {
        const b = first ? d : f(f(buf[j] * mu) + keep * d);
        buf[j] = b;
        d = nesterov ? f(d + mu * b) : b;
      }
      p[j] = f(p[j] + negLr * d);
    }
  }
}
