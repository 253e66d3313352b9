/**
 * The adding problem (Hochreiter & Schmidhuber 1997, in the form of Le, Jaitly & Hinton 2015):
 * each sequence has T steps of two features, a value drawn uniformly from [0, 1) and a marker
 * that is 1 at exactly two steps (one in each half) and 0 elsewhere; the target is the sum of
 * the two marked values. Predicting the mean, 1, always scores an MSE of Var(U + U') = 1/6 ≈
 * 0.167: a model beats that only by carrying a value across up to T steps.
 */
import { TensorDataset } from "../../data/dataset.js";
import { tensor } from "../../tensor/create.js";
import { Generator } from "../../tensor/random.js";

/** MSE of always predicting 1 (the target's mean): the variance of the sum of two U(0, 1). */
export const TRIVIAL_MSE = 1 / 6;

/** `n` sequences of length `length` from `seed`: x (n, T, 2), y (n, 1). */
export function addingProblem(n: number, length: number, seed: number): TensorDataset {
  if (!Number.isInteger(length) || length < 2) throw new Error(`addingProblem: length must be an integer >= 2, got ${String(length)}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`addingProblem: n must be a positive integer, got ${String(n)}`);
  const g = new Generator(seed);
  const x = new Float32Array(n * length * 2);
  const y = new Float32Array(n);
  const half = Math.floor(length / 2);
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < length; t++) x[(s * length + t) * 2] = g.uniform();
    const a = g.randint(0, half);
    const b = g.randint(half, length);
    x[(s * length + a) * 2 + 1] = 1;
    x[(s * length + b) * 2 + 1] = 1;
    y[s] = x[(s * length + a) * 2]! + x[(s * length + b) * 2]!;
  }
  return new TensorDataset(tensor(x, [n, length, 2]), tensor(y, [n, 1]));
}
