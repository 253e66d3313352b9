// Fused steps of the original GRU (Keras resetAfter false), forward and backward, in the pieces
// between its two recurrent products (the driver, src/backends/wasm/gru-reset-before.ts, runs
// the GEMMs):
//   r = ga(a_r), z = ga(a_z)          a_r|a_z = x W_i*ᵀ + b + hIn W_h*ᵀ, hIn = mask * h_prev
//   n = ca(a_n)                        a_n = x W_inᵀ + b + (r * hIn) W_hnᵀ
//   h = (1 - z) * n + z * h_prev
// ga and ca are activation codes of math.ts (sigmoid and tanh by default).
// Symbols: B batch, H hidden size, G = 3H gate columns r|z|n. Pointers are byte offsets.
import { act4, actDerivative4, ld, st } from "./math";
import { madd4 } from "./madd";

/** acts (B, 3H): a_r|a_z in, r|z out; rh (B, H) = r * hIn. */
export function gruRbGates(B: i32, H: i32, ga: i32, acts: usize, hIn: usize, rh: usize): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g = acts + <usize>b * 3 * H4;
    const o = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const p = <usize>j << 2;
      const r = act4(ga, ld(4, g + p));
      st(4, g + p, r);
      st(4, g + H4 + p, act4(ga, ld(4, g + H4 + p)));
      st(4, rh + o + p, f32x4.mul(r, ld(4, hIn + o + p)));
    }
    for (; j < H; j++) {
      const p = <usize>j << 2;
      const r = act4(ga, ld(1, g + p));
      st(1, g + p, r);
      st(1, g + H4 + p, act4(ga, ld(1, g + H4 + p)));
      st(1, rh + o + p, f32x4.mul(r, ld(1, hIn + o + p)));
    }
  }
}

// @ts-ignore: decorator
@inline
function outputLanes(W: i32, ca: i32, g: usize, H4: usize, hPrev: usize, h: usize): void {
  const n = act4(ca, ld(W, g + 2 * H4));
  const z = ld(W, g + H4);
  st(W, g + 2 * H4, n);
  st(W, h, madd4(z, ld(W, hPrev), f32x4.mul(f32x4.sub(f32x4.splat(1), z), n)));
}

/** acts (B, 3H): a_n in, n out (r|z already activations); h (B, H) = (1 - z) * n + z * hPrev. */
export function gruRbOutput(B: i32, H: i32, ca: i32, acts: usize, hPrev: usize, h: usize): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g = acts + <usize>b * 3 * H4;
    const o = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= H; j += 4) outputLanes(4, ca, g + (<usize>j << 2), H4, hPrev + o + (<usize>j << 2), h + o + (<usize>j << 2));
    for (; j < H; j++) outputLanes(1, ca, g + (<usize>j << 2), H4, hPrev + o + (<usize>j << 2), h + o + (<usize>j << 2));
  }
}

// @ts-ignore: decorator
@inline
function backOutLanes(W: i32, ga: i32, ca: i32, g: usize, d: usize, H4: usize, hPrev: usize, dh: usize, dhPrev: usize): void {
  const z = ld(W, g + H4);
  const n = ld(W, g + 2 * H4);
  const dhv = ld(W, dh);
  st(W, d + 2 * H4, f32x4.mul(f32x4.mul(dhv, f32x4.sub(f32x4.splat(1), z)), actDerivative4(ca, n)));
  st(W, d + H4, f32x4.mul(f32x4.mul(dhv, f32x4.sub(ld(W, hPrev), n)), actDerivative4(ga, z)));
  st(W, dhPrev, madd4(dhv, z, ld(W, dhPrev)));
}

/**
 * Backward, first part: from dh (B, H), the gradients of a_z and a_n into dG (B, 3H) and the
 * direct path dh * z added into dhPrev (B, H).
 */
export function gruRbBackwardOut(B: i32, H: i32, ga: i32, ca: i32, acts: usize, hPrev: usize, dh: usize, dG: usize, dhPrev: usize): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g = acts + <usize>b * 3 * H4;
    const d = dG + <usize>b * 3 * H4;
    const o = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const p = <usize>j << 2;
      backOutLanes(4, ga, ca, g + p, d + p, H4, hPrev + o + p, dh + o + p, dhPrev + o + p);
    }
    for (; j < H; j++) {
      const p = <usize>j << 2;
      backOutLanes(1, ga, ca, g + p, d + p, H4, hPrev + o + p, dh + o + p, dhPrev + o + p);
    }
  }
}

/**
 * Backward, second part: from dRh (B, H), the gradient reaching r * hIn, the gradient of a_r into
 * dG (B, 3H) and dHin (B, H) = dRh * r (hIn's share through the candidate's product).
 */
export function gruRbBackwardReset(B: i32, H: i32, ga: i32, acts: usize, hIn: usize, dRh: usize, dG: usize, dHin: usize): void {
  const H4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g = acts + <usize>b * 3 * H4;
    const d = dG + <usize>b * 3 * H4;
    const o = <usize>b * H4;
    let j = 0;
    for (; j + 4 <= H; j += 4) backResetLanes(4, ga, g + (<usize>j << 2), d + (<usize>j << 2), hIn + o + (<usize>j << 2), dRh + o + (<usize>j << 2), dHin + o + (<usize>j << 2));
    for (; j < H; j++) backResetLanes(1, ga, g + (<usize>j << 2), d + (<usize>j << 2), hIn + o + (<usize>j << 2), dRh + o + (<usize>j << 2), dHin + o + (<usize>j << 2));
  }
}

// @ts-ignore: decorator
@inline
function backResetLanes(W: i32, ga: i32, g: usize, d: usize, hIn: usize, dRh: usize, dHin: usize): void {
  const r = ld(W, g);
  const drh = ld(W, dRh);
  st(W, d, f32x4.mul(f32x4.mul(drh, ld(W, hIn)), actDerivative4(ga, r)));
  st(W, dHin, f32x4.mul(drh, r));
}
