// Fused peephole-LSTM time step, forward and backward (the cell of src/nn/cells/peephole-lstm.ts).
//
// Symbols: B batch, H hidden size, G = 4H gate rows in PyTorch's order i|f|g|o.
//   i = σ(a_i + p_i * c_prev), f = σ(a_f + p_f * c_prev), g = tanh(a_g)
//   c = f * c_prev + i * g
//   o = σ(a_o + p_o * c)
//   h = o * tanh(c)
// where a (B, G) = x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh has already been summed by the GEMMs, and
// the peepholes p (3H) = p_i | p_f | p_o. As lstm.ts: one pass per step, pointers are byte offsets,
// a call handles hidden units 0 .. U-1 of every row (pointers may start part-way into a row).
// Accumulation rule: dp accumulates (+=); dGates and dc are assigned.
import { ld, oneMinusSquare4, sigmoid4, st, tanh4, tanhDerivative4 } from "./math";
import { madd4 } from "./madd";

// @ts-ignore: decorator
@inline
function forwardLanes(W: i32, gates: usize, H4: usize, cPrev: usize, c: usize, h: usize, p: usize): void {
  const cp = ld(W, cPrev);
  const i = sigmoid4(madd4(ld(W, p), cp, ld(W, gates)));
  const f = sigmoid4(madd4(ld(W, p + H4), cp, ld(W, gates + H4)));
  const g = tanh4(ld(W, gates + 2 * H4));
  const cNew = madd4(f, cp, f32x4.mul(i, g));
  const o = sigmoid4(madd4(ld(W, p + 2 * H4), cNew, ld(W, gates + 3 * H4)));
  st(W, gates, i);
  st(W, gates + H4, f);
  st(W, gates + 2 * H4, g);
  st(W, gates + 3 * H4, o);
  st(W, c, cNew);
  st(W, h, f32x4.mul(o, tanh4(cNew)));
}

/**
 * One forward step over units 0 .. U-1. gates (B, 4H): pre-activations in, activations i|f|g|o
 * out (kept for backward). cPrev (B, H) in; c (B, H) and h (B, H) written. p (3H): peepholes.
 */
export function peepholeForwardStep(B: i32, H: i32, U: i32, gates: usize, cPrev: usize, c: usize, h: usize, p: usize): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const rowG = gates + <usize>b * 4 * H4;
    const rowH = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= U; j += 4) {
      const o = <usize>j << 2;
      forwardLanes(4, rowG + o, H4, cPrev + rowH + o, c + rowH + o, h + rowH + o, p + o);
    }
    for (; j < U; j++) {
      const o = <usize>j << 2;
      forwardLanes(1, rowG + o, H4, cPrev + rowH + o, c + rowH + o, h + rowH + o, p + o);
    }
  }
}

// @ts-ignore: decorator
@inline
function backwardLanes(
  W: i32, gates: usize, H4: usize, c: usize, cPrev: usize, dh: usize, dc: usize, dGates: usize, p: usize, dp: usize,
): void {
  const one = f32x4.splat(1);
  const i = ld(W, gates);
  const f = ld(W, gates + H4);
  const g = ld(W, gates + 2 * H4);
  const o = ld(W, gates + 3 * H4);
  const cv = ld(W, c);
  const cp = ld(W, cPrev);
  const dhv = ld(W, dh);
  const dao = f32x4.mul(f32x4.mul(dhv, tanh4(cv)), f32x4.mul(o, f32x4.sub(one, o)));
  // c feeds the next step, h through tanh, and o through the peephole p_o.
  const dcv = f32x4.add(
    madd4(f32x4.mul(dhv, o), tanhDerivative4(cv), ld(W, dc)),
    f32x4.mul(dao, ld(W, p + 2 * H4)),
  );
  const dai = f32x4.mul(f32x4.mul(dcv, g), f32x4.mul(i, f32x4.sub(one, i)));
  const daf = f32x4.mul(f32x4.mul(dcv, cp), f32x4.mul(f, f32x4.sub(one, f)));
  st(W, dGates, dai);
  st(W, dGates + H4, daf);
  st(W, dGates + 2 * H4, f32x4.mul(f32x4.mul(dcv, i), oneMinusSquare4(g)));
  st(W, dGates + 3 * H4, dao);
  // c_prev feeds c through f, and i and f through their peepholes.
  st(W, dc, madd4(dcv, f, madd4(daf, ld(W, p + H4), f32x4.mul(dai, ld(W, p)))));
  st(W, dp, madd4(dai, cp, ld(W, dp)));
  st(W, dp + H4, madd4(daf, cp, ld(W, dp + H4)));
  st(W, dp + 2 * H4, madd4(dao, cv, ld(W, dp + 2 * H4)));
}

/**
 * One backward step over units 0 .. U-1. gates (B, 4H): the activations forward kept; c, cPrev
 * (B, H): this step's cell state and the one before; dh (B, H): the full gradient reaching h;
 * dc (B, H): the gradient reaching c from later steps in, the gradient reaching cPrev out.
 * dGates (B, 4H) gets the gradient of the pre-activations a; dp (3H) accumulates the peepholes'.
 */
export function peepholeBackwardStep(
  B: i32, H: i32, U: i32, gates: usize, c: usize, cPrev: usize, dh: usize, dc: usize, dGates: usize, p: usize, dp: usize,
): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const rowG = <usize>b * 4 * H4;
    const rowH = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= U; j += 4) {
      const o = <usize>j << 2;
      backwardLanes(4, gates + rowG + o, H4, c + rowH + o, cPrev + rowH + o, dh + rowH + o, dc + rowH + o, dGates + rowG + o, p + o, dp + o);
    }
    for (; j < U; j++) {
      const o = <usize>j << 2;
      backwardLanes(1, gates + rowG + o, H4, c + rowH + o, cPrev + rowH + o, dh + rowH + o, dc + rowH + o, dGates + rowG + o, p + o, dp + o);
    }
  }
}
