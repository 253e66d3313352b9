// Fused GRU time step, forward and backward.
//
// Symbols: B batch, H hidden size, G = 3H gate rows in PyTorch's order r|z|n.
//   r  = σ(x_r + h_r)                 x_* = (x W_ihᵀ + b_ih)_*,  h_* = (h_prev W_hhᵀ + b_hh)_*
//   z  = σ(x_z + h_z)
//   n  = tanh(x_n + r * h_n)
//   h  = (1 - z) * n + z * h_prev
// The input and recurrent products stay separate because r scales only the recurrent part of n.
// Pointers are byte offsets; every buffer is row-major with the row widths given. A call handles
// hidden units 0 .. U-1 of every row (U <= H), so that threads can split a step by hidden units.
// The *Act entry points take other nonlinearities by their codes of math.ts: ga for r, z and ca
// for n. Both kinds share one body, inlined with `act` a constant, so the default entry points
// keep their straight-line code.
import { act4, actDerivative4, ld, oneMinusSquare4, sigmoid4, st, tanh4 } from "./math";
import { madd4 } from "./madd";

// @ts-ignore: decorator
@inline
function forwardLanes(W: i32, act: bool, ga: i32, ca: i32, gx: usize, gh: usize, H4: usize, hPrev: usize, hn: usize, h: usize): void {
  const ar = f32x4.add(ld(W, gx), ld(W, gh));
  const az = f32x4.add(ld(W, gx + H4), ld(W, gh + H4));
  const r = act ? act4(ga, ar) : sigmoid4(ar);
  const z = act ? act4(ga, az) : sigmoid4(az);
  const hnv = ld(W, gh + 2 * H4);
  const an = madd4(r, hnv, ld(W, gx + 2 * H4));
  const n = act ? act4(ca, an) : tanh4(an);
  st(W, gx, r);
  st(W, gx + H4, z);
  st(W, gx + 2 * H4, n);
  st(W, hn, hnv);
  st(W, h, madd4(z, ld(W, hPrev), f32x4.mul(f32x4.sub(f32x4.splat(1), z), n)));
}

/**
 * One forward step over units 0 .. U-1. gx (B, 3H): input pre-activations x_r|x_z|x_n in,
 * activations r|z|n out (kept for backward). gh (B, 3H): h_r|h_z|h_n. hPrev (B, H) in; hn (B, H)
 * gets h_n (kept for backward); h (B, H) written.
 */
export function gruForwardStep(B: i32, H: i32, U: i32, gx: usize, gh: usize, hPrev: usize, hn: usize, h: usize): void {
  forwardRows(B, H, U, false, 0, 0, gx, gh, hPrev, hn, h);
}

/** gruForwardStep with gate nonlinearity ga and candidate nonlinearity ca (codes of math.ts). */
export function gruForwardStepAct(B: i32, H: i32, U: i32, ga: i32, ca: i32, gx: usize, gh: usize, hPrev: usize, hn: usize, h: usize): void {
  forwardRows(B, H, U, true, ga, ca, gx, gh, hPrev, hn, h);
}

// @ts-ignore: decorator
@inline
function forwardRows(B: i32, H: i32, U: i32, act: bool, ga: i32, ca: i32, gx: usize, gh: usize, hPrev: usize, hn: usize, h: usize): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const rowG = <usize>b * 3 * H4;
    const rowH = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= U; j += 4) {
      const o = <usize>j << 2;
      forwardLanes(4, act, ga, ca, gx + rowG + o, gh + rowG + o, H4, hPrev + rowH + o, hn + rowH + o, h + rowH + o);
    }
    for (; j < U; j++) {
      const o = <usize>j << 2;
      forwardLanes(1, act, ga, ca, gx + rowG + o, gh + rowG + o, H4, hPrev + rowH + o, hn + rowH + o, h + rowH + o);
    }
  }
}

// @ts-ignore: decorator
@inline
function backwardLanes(
  W: i32, act: bool, ga: i32, ca: i32, acts: usize, H4: usize, hn: usize, hPrev: usize, dh: usize, dgx: usize, dgh: usize, dhPrev: usize,
): void {
  const one = f32x4.splat(1);
  const r = ld(W, acts);
  const z = ld(W, acts + H4);
  const n = ld(W, acts + 2 * H4);
  const dhv = ld(W, dh);
  const dan = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), act ? actDerivative4(ca, n) : oneMinusSquare4(n));
  const daz = f32x4.mul(f32x4.mul(dhv, f32x4.sub(ld(W, hPrev), n)), act ? actDerivative4(ga, z) : f32x4.mul(z, f32x4.sub(one, z)));
  const dar = f32x4.mul(f32x4.mul(dan, ld(W, hn)), act ? actDerivative4(ga, r) : f32x4.mul(r, f32x4.sub(one, r)));
  st(W, dgx, dar);
  st(W, dgx + H4, daz);
  st(W, dgx + 2 * H4, dan);
  st(W, dgh, dar);
  st(W, dgh + H4, daz);
  st(W, dgh + 2 * H4, f32x4.mul(dan, r));
  st(W, dhPrev, madd4(dhv, z, ld(W, dhPrev)));
}

/**
 * One backward step over units 0 .. U-1. acts (B, 3H): r|z|n from forward; hn (B, H): h_n from
 * forward; hPrev (B, H); dh (B, H): the full gradient reaching h. Writes dgx (B, 3H), the gradient
 * of x_r|x_z|x_n, and dgh (B, 3H), the gradient of h_r|h_z|h_n; adds the direct path dh * z into
 * dhPrev (B, H).
 */
export function gruBackwardStep(
  B: i32, H: i32, U: i32, acts: usize, hn: usize, hPrev: usize, dh: usize, dgx: usize, dgh: usize, dhPrev: usize,
): void {
  backwardRows(B, H, U, false, 0, 0, acts, hn, hPrev, dh, dgx, dgh, dhPrev);
}

/** gruBackwardStep with gate nonlinearity ga and candidate nonlinearity ca (codes of math.ts). */
export function gruBackwardStepAct(
  B: i32, H: i32, U: i32, ga: i32, ca: i32, acts: usize, hn: usize, hPrev: usize, dh: usize, dgx: usize, dgh: usize, dhPrev: usize,
): void {
  backwardRows(B, H, U, true, ga, ca, acts, hn, hPrev, dh, dgx, dgh, dhPrev);
}

// @ts-ignore: decorator
@inline
function backwardRows(
  B: i32, H: i32, U: i32, act: bool, ga: i32, ca: i32, acts: usize, hn: usize, hPrev: usize, dh: usize, dgx: usize, dgh: usize, dhPrev: usize,
): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const rowG = <usize>b * 3 * H4;
    const rowH = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= U; j += 4) {
      const o = <usize>j << 2;
      backwardLanes(4, act, ga, ca, acts + rowG + o, H4, hn + rowH + o, hPrev + rowH + o, dh + rowH + o, dgx + rowG + o, dgh + rowG + o, dhPrev + rowH + o);
    }
    for (; j < U; j++) {
      const o = <usize>j << 2;
      backwardLanes(1, act, ga, ca, acts + rowG + o, H4, hn + rowH + o, hPrev + rowH + o, dh + rowH + o, dgx + rowG + o, dgh + rowG + o, dhPrev + rowH + o);
    }
  }
}
