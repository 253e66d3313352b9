import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { Tensor } from "recurrent";

/** A tensor as the generator scripts in tools/ write it; NaN and infinities are null. */
export interface JsonTensor {
  shape: number[];
  data: (number | null)[];
}

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");

export function readFixture<T>(folder: string, name: string): T {
  return JSON.parse(readFileSync(join(fixturesDir, folder, `${name}.json`), "utf8")) as T;
}

export function fixtureNames(folder: string): string[] {
  return readFixture<string[]>(folder, "index");
}

export function toTensor(j: JsonTensor, requiresGrad = false): Tensor {
  return new Tensor(Float32Array.from(j.data, (v) => (v === null ? NaN : v)), j.shape, requiresGrad);
}

/** Largest |a - e| / (1 + |e|) seen by any assertClose call; reported by the parity suite. */
export const deviation = { max: 0, where: "" };

/** Asserts |actual - expected| ≤ atol + rtol·|expected| elementwise, with a message naming the worst element. */
export function assertClose(actual: ArrayLike<number>, expected: JsonTensor | ArrayLike<number>, what: string, atol = 1e-5, rtol = 1e-5): void {
  const exp = "shape" in expected ? expected.data : expected;
  assert.equal(actual.length, exp.length, `${what}: ${actual.length} values, expected ${exp.length}`);
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i] ?? NaN;
    const a = actual[i]!;
    const err = Math.abs(a - e);
    const rel = err / (1 + Math.abs(e));
    if (rel > deviation.max) {
      deviation.max = rel;
      deviation.where = what;
    }
    if (!(err <= atol + rtol * Math.abs(e)) && (worst < 0 || err > worstErr)) {
      worst = i;
      worstErr = err;
    }
  }
  if (worst >= 0) assert.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${exp[worst]} (|diff| ${worstErr})`);
}
