/**
 * What an optimiser needs from a parameter. A core `Tensor` (`data: Float32Array`,
 * `grad: Tensor | null`) satisfies it structurally, so the optimisers do not depend on the
 * tensor's internals and can be tested with plain objects.
 */
export interface ParamLike {
  /** Logical shape; its product must equal `data.length`. */
  readonly shape: readonly number[];
  /** Values, updated in place by `step()` and never reallocated. */
  data: Float32Array;
  /** Accumulated gradient with the same number of elements as `data`, or null when none was computed. */
  grad: { data: Float32Array } | null;
}

/** The only part of a parameter that gradient clipping touches. */
export type GradHolder = Pick<ParamLike, "grad">;
