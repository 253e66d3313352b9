// Fused Elman RNN time step, forward and backward.
//
// Symbols: B batch, H hidden size (G = H gate rows).
//   h = act(a),  a = x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh,  act = tanh or relu
// Backward needs only h: tanh' = 1 - h² = (1 - h)(1 + h), relu' = (h > 0), so forward keeps no
// extra cache.
// Pointers are byte offsets; every buffer is row-major (B, H).
import { ld, oneMinusSquare4, st, tanh4 } from "./math";

// @ts-ignore: decorator
@inline
function forwardLanes(W: i32, relu: bool, a: usize, h: usize): void {
  const v = ld(W, a);
  st(W, h, relu ? f32x4.max(v, f32x4.splat(0)) : tanh4(v));
}

/** One forward step over n = B·H elements: h = act(a). relu selects relu over tanh. */
export function rnnForwardStep(n: i32, relu: bool, a: usize, h: usize): void {
  let j = 0;
  if (relu) {
    for (; j + 4 <= n; j += 4) forwardLanes(4, true, a + (<usize>j << 2), h + (<usize>j << 2));
    for (; j < n; j++) forwardLanes(1, true, a + (<usize>j << 2), h + (<usize>j << 2));
  } else {
    for (; j + 4 <= n; j += 4) forwardLanes(4, false, a + (<usize>j << 2), h + (<usize>j << 2));
    for (; j < n; j++) forwardLanes(1, false, a + (<usize>j << 2), h + (<usize>j << 2));
  }
}

// @ts-ignore: decorator
@inline
function backwardLanes(W: i32, relu: bool, h: usize, dh: usize, da: usize): void {
  const hv = ld(W, h);
  const dhv = ld(W, dh);
  const d = relu
    ? v128.and(dhv, f32x4.gt(hv, f32x4.splat(0)))
    : f32x4.mul(dhv, oneMinusSquare4(hv));
  st(W, da, d);
}

/** One backward step over n = B·H elements: da = dh * act'(a), written from h = act(a). */
export function rnnBackwardStep(n: i32, relu: bool, h: usize, dh: usize, da: usize): void {
  let j = 0;
  if (relu) {
    for (; j + 4 <= n; j += 4) backwardLanes(4, true, h + (<usize>j << 2), dh + (<usize>j << 2), da + (<usize>j << 2));
    for (; j < n; j++) backwardLanes(1, true, h + (<usize>j << 2), dh + (<usize>j << 2), da + (<usize>j << 2));
  } else {
    for (; j + 4 <= n; j += 4) backwardLanes(4, false, h + (<usize>j << 2), dh + (<usize>j << 2), da + (<usize>j << 2));
    for (; j < n; j++) backwardLanes(1, false, h + (<usize>j << 2), dh + (<usize>j << 2), da + (<usize>j << 2));
  }
}
