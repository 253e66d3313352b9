/**
 * Hooks any layer can implement for the training loop, found by walking the model's modules:
 *
 * - `regularizationLoss(): Tensor | null`: a 0-d penalty on the tape (weight regularizers,
 *   activity regularizers of the latest call); `fit` adds the sum over the model to each batch's
 *   loss, so the reported loss includes it, and `evaluate` (and fit's validation) to the loss it
 *   reports, as in Keras.
 * - `applyConstraints(): void`: projects the layer's weights in place; `fit` calls it after each
 *   optimiser step.
 * - `built: boolean`: false for a layer whose parameters are made at its first call; such a layer
 *   must be built before the optimiser is made (the optimiser holds the parameters it was given).
 */
import { Tensor } from "../tensor/tensor.js";
import type { Module } from "../nn/module.js";

function method(m: Module, name: string): ((...args: unknown[]) => unknown) | null {
  const f: unknown = Reflect.get(m, name);
  return typeof f === "function" ? (f as (...args: unknown[]) => unknown) : null;
}

/** The sum of every module's `regularizationLoss()` as a 0-d tensor on the tape, or null when none contributes. */
export function regularizationLoss(model: Module): Tensor | null {
  let total: Tensor | null = null;
  for (const m of model.modules()) {
    const f = method(m, "regularizationLoss");
    if (f === null) continue;
    const p: unknown = f.call(m);
    if (p === null || p === undefined) continue;
    if (!(p instanceof Tensor) || p.size !== 1) throw new Error(`${m.describe()}.regularizationLoss must return a 0-d Tensor or null, got ${p instanceof Tensor ? `shape [${p.shape.join(", ")}]` : typeof p}`);
    total = total === null ? p : total.add(p);
  }
  return total;
}

/** Calls every module's `applyConstraints()`. */
export function applyConstraints(model: Module): void {
  for (const m of model.modules()) method(m, "applyConstraints")?.call(m);
}

/** Throws naming the first module whose `built` is false: its parameters do not exist yet. */
export function requireBuilt(where: string, model: Module): void {
  for (const [name, m] of model.namedModules()) {
    if (Reflect.get(m, "built") === false) {
      throw new Error(
        `${where}: ${m.describe()}${name === "" ? "" : ` (module "${name}")`} has no parameters yet, so an optimiser made now would not update them; ` +
          "give it inputDim (or inputShape), or call model.build(inputShape) before making the optimiser",
      );
    }
  }
}
