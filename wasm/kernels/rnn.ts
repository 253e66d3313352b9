// Fused Elman RNN time step, forward and backward.
//
// Symbols: B batch, H hidden size (G = H gate rows).
//   h = act(a),  a = x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh,  act by its code of math.ts (0 tanh,
//   1 relu, … the variants' others)
// Backward needs only h: tanh' = 1 - h² = (1 - h)(1 + h), relu' = (h > 0), every other code's
// derivative from its output too, so forward keeps no extra cache.
// Pointers are byte offsets; every buffer is row-major (B, H). A call handles hidden units
// 0 .. U-1 of every row (U <= H), so that threads can split a step by hidden units.
import { ACT_RELU, ACT_TANH, act4, actDerivative4, ld, oneMinusSquare4, st, tanh4 } from "./math";

// @ts-ignore: decorator
@inline
function forwardLanes(W: i32, relu: bool, a: usize, h: usize): void {
  const v = ld(W, a);
  st(W, h, relu ? f32x4.max(v, f32x4.splat(0)) : tanh4(v));
}

// @ts-ignore: decorator
@inline
function forwardRow(U: i32, relu: bool, a: usize, h: usize): void {
  let j = 0;
  for (; j + 4 <= U; j += 4) forwardLanes(4, relu, a + (<usize>j << 2), h + (<usize>j << 2));
  for (; j < U; j++) forwardLanes(1, relu, a + (<usize>j << 2), h + (<usize>j << 2));
}

/** Any other code: one branch on the code per lane group, outside the default rows above. */
function forwardRowAct(U: i32, code: i32, a: usize, h: usize): void {
  let j = 0;
  for (; j + 4 <= U; j += 4) st(4, h + (<usize>j << 2), act4(code, ld(4, a + (<usize>j << 2))));
  for (; j < U; j++) st(1, h + (<usize>j << 2), act4(code, ld(1, a + (<usize>j << 2))));
}

/** One forward step over units 0 .. U-1: h = act(a), act by its code (0 tanh, 1 relu, others of math.ts). */
export function rnnForwardStep(B: i32, H: i32, U: i32, code: i32, a: usize, h: usize): void {
  const row = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const o = <usize>b * row;
    if (code == ACT_RELU) forwardRow(U, true, a + o, h + o);
    else if (code == ACT_TANH) forwardRow(U, false, a + o, h + o);
    else forwardRowAct(U, code, a + o, h + o);
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

// @ts-ignore: decorator
@inline
function backwardRow(U: i32, relu: bool, h: usize, dh: usize, da: usize): void {
  let j = 0;
  for (; j + 4 <= U; j += 4) backwardLanes(4, relu, h + (<usize>j << 2), dh + (<usize>j << 2), da + (<usize>j << 2));
  for (; j < U; j++) backwardLanes(1, relu, h + (<usize>j << 2), dh + (<usize>j << 2), da + (<usize>j << 2));
}

function backwardRowAct(U: i32, code: i32, h: usize, dh: usize, da: usize): void {
  let j = 0;
  for (; j + 4 <= U; j += 4) {
    const o = <usize>j << 2;
    st(4, da + o, f32x4.mul(ld(4, dh + o), actDerivative4(code, ld(4, h + o))));
  }
  for (; j < U; j++) {
    const o = <usize>j << 2;
    st(1, da + o, f32x4.mul(ld(1, dh + o), actDerivative4(code, ld(1, h + o))));
  }
}

/** One backward step over units 0 .. U-1: da = dh * act'(a), written from h = act(a) (codes as forward). */
export function rnnBackwardStep(B: i32, H: i32, U: i32, code: i32, h: usize, dh: usize, da: usize): void {
  const row = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const o = <usize>b * row;
    if (code == ACT_RELU) backwardRow(U, true, h + o, dh + o, da + o);
    else if (code == ACT_TANH) backwardRow(U, false, h + o, dh + o, da + o);
    else backwardRowAct(U, code, h + o, dh + o, da + o);
  }
}
