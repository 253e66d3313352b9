/**
 * Fused optimiser updates a backend may offer (`Backend.optimizer`): one call updates a whole
 * list of parameters that share a step count. The optimisers in src/optim compute the float32
 * constants (one formula for both paths) and keep their state in their own Float32Arrays; a
 * backend reads and writes those arrays in place and must give bit-identical results to the
 * optimisers' JavaScript loops (NaN payloads aside).
 */

/** One parameter of an Adam / AdamW step: updated in place except `grad`. */
export interface AdamTensors {
  readonly param: Float32Array;
  readonly grad: Float32Array;
  readonly expAvg: Float32Array;
  readonly expAvgSq: Float32Array;
  /** The running maximum of expAvgSq (amsgrad only), else null. */
  readonly maxExpAvgSq: Float32Array | null;
}

/** The float32 constants of one Adam step (src/optim/adam-core.ts `scalars`). */
export interface AdamScalars {
  /** AdamW: θ ← f(θ·shrink) first. */
  readonly decoupled: boolean;
  /** Adam with λ ≠ 0: g ← f(g + wd·θ), the product unrounded. */
  readonly coupled: boolean;
  readonly maximize: boolean;
  readonly amsgrad: boolean;
  readonly wd: number;
  readonly shrink: number;
  readonly b1: number;
  readonly b2: number;
  readonly oneMinusB1: number;
  readonly oneMinusB2: number;
  readonly biasCorrection2Sqrt: number;
  readonly negStepSize: number;
  readonly eps: number;
}

/** One parameter of an SGD step: updated in place except `grad`. */
export interface SGDTensors {
  readonly param: Float32Array;
  readonly grad: Float32Array;
  /** The momentum buffer (momentum ≠ 0), else null. */
  readonly momentumBuffer: Float32Array | null;
}

/** The float32 constants of one SGD step (src/optim/sgd.ts `scalars`). */
export interface SGDScalars {
  /** λ ≠ 0: d ← f(d + wd·θ). */
  readonly decay: boolean;
  /** The momentum buffers are new: b ← d instead of decaying them. */
  readonly first: boolean;
  readonly nesterov: boolean;
  readonly maximize: boolean;
  readonly wd: number;
  readonly mu: number;
  readonly keep: number;
  readonly negLr: number;
}

/** One parameter of an RMSprop step: updated in place except `grad`. */
export interface RMSpropTensors {
  readonly param: Float32Array;
  readonly grad: Float32Array;
  readonly squareAvg: Float32Array;
  /** The momentum buffer (momentum > 0), else null. */
  readonly momentumBuffer: Float32Array | null;
  /** The running mean of the gradient (centered), else null. */
  readonly gradAvg: Float32Array | null;
}

/** The float32 constants of an RMSprop step (src/optim/rmsprop.ts `scalars`). */
export interface RMSpropScalars {
  /** λ ≠ 0: g ← f(g + wd·θ). */
  readonly decay: boolean;
  readonly momentum: boolean;
  readonly centered: boolean;
  readonly maximize: boolean;
  readonly wd: number;
  readonly a: number;
  readonly oneMinusA: number;
  readonly eps: number;
  readonly mu: number;
  readonly negLr: number;
}

export interface OptimizerKernels {
  /** The Adam / AdamW update of every listed parameter. */
  adam(tensors: readonly AdamTensors[], scalars: AdamScalars): void;
  /** The SGD update of every listed parameter (all with a momentum buffer, or all without). */
  sgd(tensors: readonly SGDTensors[], scalars: SGDScalars): void;
  /** The RMSprop update of every listed parameter. */
  rmsprop(tensors: readonly RMSpropTensors[], scalars: RMSpropScalars): void;
}
