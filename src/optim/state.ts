/** A value an optimiser option can take once written to a checkpoint. */
export type OptionValue = number | boolean | number[];

/**
 * An optimiser's full state, as `Optimizer.stateDict()` returns it and `loadStateDict()` takes it.
 *
 * Everything but `buffers` is plain JSON. Buffers are keyed `"<name>.<param index>"`, e.g.
 * `"exp_avg.3"` (PyTorch's state names), so a checkpoint writer can put them into a safetensors
 * file as they are and the rest into its JSON metadata. A parameter that has never been
 * updated has no buffers, as in PyTorch, where its state is created on its first step.
 */
export type OptimizerState = {
  /** The optimiser class: "SGD", "Adam", "AdamW" or "RMSprop". */
  kind: string;
  /** The resolved options (camelCase, defaults filled in), e.g. `{ lr: 0.001, betas: [0.9, 0.999], ... }`. */
  options: Record<string, OptionValue>;
  /** Per parameter (by index): how many updates it has received. */
  step: number[];
  /** Per-parameter running statistics, keyed `"<name>.<param index>"`; each has the parameter's element count. */
  buffers: Record<string, Float32Array>;
};

/** Splits `"exp_avg.3"` into its name and parameter index; null when the key has another form. */
export function parseBufferKey(key: string): { name: string; index: number } | null {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\.(0|[1-9][0-9]*)$/.exec(key);
  if (m === null) return null;
  return { name: m[1], index: Number(m[2]) };
}
