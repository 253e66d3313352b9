// Written-out loops, in float64 and one sequence at a time, of the cells that take a CellVariant
// (lstm, gru, gru_reset_before, rnn_*), straight from the equations in src/nn/cells: the
// independent statement the layers' variant paths are tested against.

/** Scalar forms of the activations the tests use. */
export const SCALAR: Readonly<Record<string, (v: number) => number>> = {
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
  hardSigmoid: (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)),
  hardSigmoidKeras3: (v) => Math.min(1, Math.max(0, v / 6 + 0.5)),
  relu: (v) => Math.max(0, v),
  linear: (v) => v,
  softsign: (v) => v / (1 + Math.abs(v)),
};

export type HandCell = "lstm" | "gru" | "gru_reset_before" | "rnn_tanh" | "rnn_relu";

/** One direction's parameters as plain arrays (bHh absent for a single-bias cell, both for no bias). */
export interface HandParams {
  wIh: ArrayLike<number>; // (G, I)
  wHh: ArrayLike<number>; // (G, H)
  bIh: ArrayLike<number> | null; // (G)
  bHh: ArrayLike<number> | null; // (G)
}

/** Row r of W (rows × cols) times v, plus bias b[r] (0 without one). */
function dot(w: ArrayLike<number>, cols: number, r: number, v: readonly number[], b: ArrayLike<number> | null): number {
  let s = b === null ? 0 : b[r]!;
  for (let k = 0; k < cols; k++) s += w[r * cols + k]! * v[k]!;
  return s;
}

/**
 * One step of `cell` for one sequence: x (I), h (H), c (H, lstm only), mask (H) multiplying h where
 * it enters the recurrent products. Returns the next h and c.
 */
export function handStep(
  cell: HandCell,
  p: HandParams,
  x: readonly number[],
  h: readonly number[],
  c: readonly number[],
  gateName: string,
  candName: string,
  mask: readonly number[] | null,
): { h: number[]; c: number[] } {
  const g = SCALAR[gateName]!;
  const a = SCALAR[candName]!;
  const H = h.length;
  const I = x.length;
  const hm = mask === null ? h : h.map((v, j) => v * mask[j]!);
  const xi = (r: number): number => dot(p.wIh, I, r, x, p.bIh);
  const hh = (r: number, v: readonly number[] = hm): number => dot(p.wHh, H, r, v, p.bHh);
  const hNext: number[] = [];
  const cNext: number[] = [];
  if (cell === "lstm") {
    for (let j = 0; j < H; j++) {
      const pre = (k: number): number => xi(k * H + j) + hh(k * H + j);
      const cj = g(pre(1)) * c[j]! + g(pre(0)) * a(pre(2));
      cNext.push(cj);
      hNext.push(g(pre(3)) * a(cj));
    }
  } else if (cell === "gru") {
    for (let j = 0; j < H; j++) {
      const r = g(xi(j) + hh(j));
      const z = g(xi(H + j) + hh(H + j));
      const n = a(xi(2 * H + j) + r * hh(2 * H + j));
      hNext.push((1 - z) * n + z * h[j]!);
    }
  } else if (cell === "gru_reset_before") {
    const r = Array.from({ length: H }, (_, j) => g(xi(j) + hh(j)));
    const rh = hm.map((v, j) => r[j]! * v);
    for (let j = 0; j < H; j++) {
      const z = g(xi(H + j) + hh(H + j));
      const n = a(xi(2 * H + j) + hh(2 * H + j, rh));
      hNext.push((1 - z) * n + z * h[j]!);
    }
  } else {
    for (let j = 0; j < H; j++) hNext.push(a(xi(j) + hh(j)));
  }
  return { h: hNext, c: cNext };
}

/**
 * One direction over one sequence of length xs.length (reverse: from its last step back).
 * Returns each step's h indexed by time, and the final h and c.
 */
export function handSequence(
  cell: HandCell,
  p: HandParams,
  xs: readonly (readonly number[])[],
  h0: readonly number[],
  c0: readonly number[],
  gateName: string,
  candName: string,
  mask: readonly number[] | null,
  reverse: boolean,
): { outs: number[][]; h: number[]; c: number[] } {
  const T = xs.length;
  const outs: number[][] = new Array<number[]>(T);
  let h = [...h0];
  let c = [...c0];
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const r = handStep(cell, p, xs[t]!, h, c, gateName, candName, mask);
    h = r.h;
    if (cell === "lstm") c = r.c;
    outs[t] = h;
  }
  return { outs, h, c };
}
