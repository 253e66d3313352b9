// Fused LSTM time step, forward and backward.
//
// Symbols: B batch, H hidden size, G = 4H gate rows in PyTorch's order i|f|g|o.
//   i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
//   c = f * c_prev + i * g
//   h = o * tanh(c)
// where a (B, G) = x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh has already been summed by the GEMMs.
// One pass per step reads the pre-activations and writes activations, c and h: no intermediate
// buffers. Pointers are byte offsets; every buffer is row-major with the row widths given.
// A call handles hidden units 0 .. U-1 of every row (U <= H; the pointers may start part-way into
// a row), so that threads can split a step by hidden units: each unit's four gates, cell and
// output are its own, and no thread reads what another writes within the step.
// The *Act entry points take other nonlinearities by their codes of math.ts: ga for i, f, o and ca
// for g and c's output. Both kinds share one body, inlined with `act` a constant, so the default
// entry points keep their straight-line code.
import { act4, actDerivative4, ld, oneMinusSquare4, sigmoid4, st, tanh4, tanhDerivative4 } from "./math";
import { madd4 } from "./madd";

// @ts-ignore: decorator
@inline
function forwardLanes(W: i32, act: bool, ga: i32, ca: i32, gates: usize, H4: usize, cPrev: usize, c: usize, h: usize): void {
  const i = act ? act4(ga, ld(W, gates)) : sigmoid4(ld(W, gates));
  const f = act ? act4(ga, ld(W, gates + H4)) : sigmoid4(ld(W, gates + H4));
  const g = act ? act4(ca, ld(W, gates + 2 * H4)) : tanh4(ld(W, gates + 2 * H4));
  const o = act ? act4(ga, ld(W, gates + 3 * H4)) : sigmoid4(ld(W, gates + 3 * H4));
  st(W, gates, i);
  st(W, gates + H4, f);
  st(W, gates + 2 * H4, g);
  st(W, gates + 3 * H4, o);
  const cNew = madd4(f, ld(W, cPrev), f32x4.mul(i, g));
  st(W, c, cNew);
  st(W, h, f32x4.mul(o, act ? act4(ca, cNew) : tanh4(cNew)));
}

/**
 * One forward step over units 0 .. U-1. gates (B, 4H): pre-activations in, activations i|f|g|o
 * out (kept for backward). cPrev (B, H) in; c (B, H) and h (B, H) written. c may not alias cPrev.
 */
export function lstmForwardStep(B: i32, H: i32, U: i32, gates: usize, cPrev: usize, c: usize, h: usize): void {
  forwardRows(B, H, U, false, 0, 0, gates, cPrev, c, h);
}

/** lstmForwardStep with gate nonlinearity ga and candidate nonlinearity ca (codes of math.ts). */
export function lstmForwardStepAct(B: i32, H: i32, U: i32, ga: i32, ca: i32, gates: usize, cPrev: usize, c: usize, h: usize): void {
  forwardRows(B, H, U, true, ga, ca, gates, cPrev, c, h);
}

// @ts-ignore: decorator
@inline
function forwardRows(B: i32, H: i32, U: i32, act: bool, ga: i32, ca: i32, gates: usize, cPrev: usize, c: usize, h: usize): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const rowG = gates + <usize>b * 4 * H4;
    const rowH = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= U; j += 4) {
      const o = <usize>j << 2;
      forwardLanes(4, act, ga, ca, rowG + o, H4, cPrev + rowH + o, c + rowH + o, h + rowH + o);
    }
    for (; j < U; j++) {
      const o = <usize>j << 2;
      forwardLanes(1, act, ga, ca, rowG + o, H4, cPrev + rowH + o, c + rowH + o, h + rowH + o);
    }
  }
}

// @ts-ignore: decorator
@inline
function backwardLanes(
  W: i32, act: bool, ga: i32, ca: i32, gates: usize, H4: usize, c: usize, cPrev: usize, dh: usize, dc: usize, dGates: usize,
): void {
  const one = f32x4.splat(1);
  const i = ld(W, gates);
  const f = ld(W, gates + H4);
  const g = ld(W, gates + 2 * H4);
  const o = ld(W, gates + 3 * H4);
  const cv = ld(W, c);
  const tc = act ? act4(ca, cv) : tanh4(cv);
  const dhv = ld(W, dh);
  // dc collects the gradient from c's two uses: the next step's cell and this step's h.
  const dcv = madd4(f32x4.mul(dhv, o), act ? actDerivative4(ca, tc) : tanhDerivative4(cv), ld(W, dc));
  const di = f32x4.mul(dcv, g);
  const df = f32x4.mul(dcv, ld(W, cPrev));
  const dg = f32x4.mul(dcv, i);
  const dO = f32x4.mul(dhv, tc);
  st(W, dGates, f32x4.mul(di, act ? actDerivative4(ga, i) : f32x4.mul(i, f32x4.sub(one, i))));
  st(W, dGates + H4, f32x4.mul(df, act ? actDerivative4(ga, f) : f32x4.mul(f, f32x4.sub(one, f))));
  st(W, dGates + 2 * H4, f32x4.mul(dg, act ? actDerivative4(ca, g) : oneMinusSquare4(g)));
  st(W, dGates + 3 * H4, f32x4.mul(dO, act ? actDerivative4(ga, o) : f32x4.mul(o, f32x4.sub(one, o))));
  st(W, dc, f32x4.mul(dcv, f));
}

/**
 * One backward step over units 0 .. U-1. gates (B, 4H): the activations forward kept; c, cPrev
 * (B, H): this step's cell state and the one before; dh (B, H): the full gradient reaching h;
 * dc (B, H): the gradient reaching c from later steps in, the gradient reaching cPrev out.
 * dGates (B, 4H) gets the gradient of the pre-activations a.
 */
export function lstmBackwardStep(
  B: i32, H: i32, U: i32, gates: usize, c: usize, cPrev: usize, dh: usize, dc: usize, dGates: usize,
): void {
  backwardRows(B, H, U, false, 0, 0, gates, c, cPrev, dh, dc, dGates);
}

/** lstmBackwardStep with gate nonlinearity ga and candidate nonlinearity ca (codes of math.ts). */
export function lstmBackwardStepAct(
  B: i32, H: i32, U: i32, ga: i32, ca: i32, gates: usize, c: usize, cPrev: usize, dh: usize, dc: usize, dGates: usize,
): void {
  backwardRows(B, H, U, true, ga, ca, gates, c, cPrev, dh, dc, dGates);
}

// @ts-ignore: decorator
@inline
function backwardRows(
  B: i32, H: i32, U: i32, act: bool, ga: i32, ca: i32, gates: usize, c: usize, cPrev: usize, dh: usize, dc: usize, dGates: usize,
): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const rowG = <usize>b * 4 * H4;
    const rowH = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= U; j += 4) {
      const o = <usize>j << 2;
      backwardLanes(4, act, ga, ca, gates + rowG + o, H4, c + rowH + o, cPrev + rowH + o, dh + rowH + o, dc + rowH + o, dGates + rowG + o);
    }
    for (; j < U; j++) {
      const o = <usize>j << 2;
      backwardLanes(1, act, ga, ca, gates + rowG + o, H4, c + rowH + o, cPrev + rowH + o, dh + rowH + o, dc + rowH + o, dGates + rowG + o);
    }
  }
}
