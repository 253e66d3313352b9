/**
 * Shared by the activation, initializer, regularizer and constraint registries: Keras-style
 * names (`glorot_uniform`, `glorotUniform` and `GlorotUniform` are one name) and serialized
 * objects (`{ className, config }` as TF.js writes them, or `{ class_name, config }` as Keras does).
 */
import type { JsonValue } from "./module.js";
import { describeArg, didYouMean } from "./options.js";

/** A registry entry as JSON: the Keras class name and its constructor options. */
export interface SerializedObject {
  className: string;
  config: { [key: string]: JsonValue };
}

/**
 * What the `get*` registry functions accept as a config: TF.js's `{ className, config }` or
 * Keras's `{ class_name, config }`; `config` may be absent.
 */
export type SerializedInput =
  | { className: string; config?: { [key: string]: JsonValue } }
  | { class_name: string; config?: { [key: string]: JsonValue } };

/** The lookup key of a name: lower case, without `_` and `-`. */
export function normalizeKerasName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/**
 * The entry of `table` (keyed by normalized names) for `name`; throws naming `where`, the `kind`
 * of thing, the name that came, a likely intended one and every known name.
 */
export function lookupName<T>(where: string, kind: string, name: string, table: ReadonlyMap<string, T>, known: readonly string[]): T {
  const hit = table.get(normalizeKerasName(name));
  if (hit !== undefined) return hit;
  const guess = didYouMean(name, known);
  const hint = guess === null ? "" : ` (did you mean "${guess}"?)`;
  throw new Error(`${where}: unknown ${kind} ${JSON.stringify(name)}${hint}; known ${kind}s: ${known.join(", ")}`);
}

/** Reads `{ className, config }` or `{ class_name, config }`; `config` may be absent. */
export function readSerialized(where: string, v: unknown): { className: string; config: Record<string, unknown> } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new Error(`${where}: expected a name or { className, config }, got ${describeArg(v)}`);
  }
  const rec = v as Record<string, unknown>;
  const className = rec["className"] ?? rec["class_name"];
  if (typeof className !== "string") throw new Error(`${where}: className must be a string, got ${describeArg(className)}`);
  const config = rec["config"] ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${where}: config of ${className} must be an object, got ${describeArg(config)}`);
  }
  return { className, config: camelCaseKeys(config as Record<string, unknown>) };
}

/** Keras's snake_case keys (`max_value`) as TF.js's camelCase (`maxValue`); null values are dropped (Keras writes `seed: null`). */
export function camelCaseKeys(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null) continue;
    out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}
