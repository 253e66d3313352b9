/** Resume: a checkpoint's state copied back into the model, optimiser, RNG streams and callbacks. */
import type { JsonValue, Module } from "../nn/module.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Generator } from "../tensor/random.js";
import type { Callback } from "./callbacks/callback.js";
import type { LoadedCheckpoint } from "./checkpoint.js";

/** JSON read back from a checkpoint, as the JsonValue a callback's setState takes. */
function toJsonValue(v: unknown): JsonValue {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  throw new Error(`checkpoint: callback state holds a ${typeof v}, which JSON cannot`);
}

/** Copies a checkpoint's state into the model, optimiser, RNGs and callbacks; errors name the checkpoint. */
export function restore(
  ckpt: LoadedCheckpoint,
  model: Module,
  optimizer: Optimizer,
  rngs: Record<string, Generator>,
  callbacks: readonly Callback[],
): void {
  const where = `checkpoint ${ckpt.path}`;
  try {
    model.loadStateDict(ckpt.params);
  } catch (err) {
    throw new Error(`${where}: weights do not fit the model: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    optimizer.loadStateDict(ckpt.optimizer);
  } catch (err) {
    throw new Error(`${where}: optimizer state does not fit: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const [name, gen] of Object.entries(rngs)) {
    const state = ckpt.meta.rng[name];
    if (state === undefined) throw new Error(`${where}: has no state for the RNG stream "${name}" (it holds ${Object.keys(ckpt.meta.rng).join(", ") || "none"})`);
    gen.setState(state);
  }
  const saved = ckpt.meta.callbacks ?? {};
  for (const cb of callbacks) {
    if (cb.key === undefined) continue;
    const state = saved[cb.key];
    // A callback added on resume starts fresh.
    if (state !== undefined && cb.setState !== undefined) cb.setState(toJsonValue(state));
    if (cb.setTensors !== undefined) {
      const prefix = `${cb.key}.`;
      const own: Record<string, Float32Array> = {};
      for (const [name, t] of Object.entries(ckpt.callbackTensors)) if (name.startsWith(prefix)) own[name.slice(prefix.length)] = t;
      cb.setTensors(own);
    }
  }
}
