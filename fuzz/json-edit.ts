/** Structure-aware mutation of JSON inputs, shared by the fuzzers of JSON formats. */
import type { Generator } from "../src/tensor/random.js";

type Slot = [Record<string, unknown> | unknown[], string | number];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every (container, key) in a JSON value, so that any field at any depth can be chosen. */
function slots(v: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([v, i]);
      slots(x, out);
    });
  } else if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) {
      out.push([v, k]);
      slots(x, out);
    }
  }
  return out;
}

/**
 * Replaces one to three fields of the parsed JSON `value` (in place) by copies of values from
 * `hostile`, or (one time in four) removes the field.
 */
export function editJsonFields(value: unknown, rng: Generator, hostile: readonly unknown[]): void {
  const all = slots(value);
  for (let k = rng.randint(1, 4); k > 0 && all.length > 0; k--) {
    const [container, key] = all[rng.randint(0, all.length)]!;
    const replacement = structuredClone(hostile[rng.randint(0, hostile.length)]);
    const remove = rng.randint(0, 4) === 0;
    if (Array.isArray(container) && typeof key === "number") {
      if (remove) container.splice(key, 1);
      else container[key] = replacement;
    } else if (!Array.isArray(container) && typeof key === "string") {
      if (remove) Reflect.deleteProperty(container, key);
      else container[key] = replacement;
    }
  }
}
