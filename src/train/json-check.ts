/** Small checks for JSON read back from disk, each failing with `${where}: ${field} must be ..., got ...`. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A short description of a value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}

export function requireRecord(v: unknown, where: string, field: string): JsonRecord {
  if (!isRecord(v)) throw new Error(`${where}: ${field} must be an object, got ${describeValue(v)}`);
  return v;
}

export function requireString(v: unknown, where: string, field: string): string {
  if (typeof v !== "string") throw new Error(`${where}: ${field} must be a string, got ${describeValue(v)}`);
  return v;
}

export function requireNumber(v: unknown, where: string, field: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where}: ${field} must be a finite number, got ${describeValue(v)}`);
  return v;
}

export function requireInteger(v: unknown, where: string, field: string, min: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
    throw new Error(`${where}: ${field} must be an integer >= ${min}, got ${describeValue(v)}`);
  }
  return v;
}

export function requireBoolean(v: unknown, where: string, field: string): boolean {
  if (typeof v !== "boolean") throw new Error(`${where}: ${field} must be true or false, got ${describeValue(v)}`);
  return v;
}

export function requireOneOf<T extends string>(v: unknown, choices: readonly T[], where: string, field: string): T {
  const found = choices.find((c) => c === v);
  if (found === undefined) {
    throw new Error(`${where}: ${field} must be one of ${choices.map((c) => `"${c}"`).join(", ")}, got ${describeValue(v)}`);
  }
  return found;
}
