// Optimiser updates over one contiguous run of parameters (src/backends/wasm/optim.ts lays every
// parameter of a step end to end), bit-identical to the JavaScript loops of src/optim.
//
// Those loops round to float32 after each tensor operation PyTorch performs, which an f32x4
// operation reproduces exactly (a float32 +, ·, / or √ computed in float64 and rounded once gives
// the float32 result). Where they deliberately leave a product unrounded, `f(a + s·x)` with the
// product and the sum in float64, the kernels do the same in f64x2 (`mixed` below): the product of
// two float32 values is exact in float64, the sum is rounded to float64 and then to float32, as in
// JavaScript.
//
// n is rounded up to a multiple of four: the wrapper's buffers are padded to 128 bytes, and the
// padding lanes compute garbage that is never read back.

/** Lanes 2 and 3 of a f32x4 moved to lanes 0 and 1, for promotion. */
// @ts-ignore: decorator
@inline
function high(x: v128): v128 {
  return v128.shuffle<i32>(x, x, 2, 3, 0, 1);
}

/** f32(a + s·x) per lane, the product and the sum in float64; s is a f64x2 splat. */
// @ts-ignore: decorator
@inline
function mixed(a: v128, s: v128, x: v128): v128 {
  const lo = f64x2.add(f64x2.promote_low_f32x4(a), f64x2.mul(s, f64x2.promote_low_f32x4(x)));
  const hi = f64x2.add(f64x2.promote_low_f32x4(high(a)), f64x2.mul(s, f64x2.promote_low_f32x4(high(x))));
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Splats a float32 scalar, widened exactly, into both f64 lanes. */
// @ts-ignore: decorator
@inline
function wide(s: f32): v128 {
  return f64x2.splat(<f64>s);
}

/** Adam's `flags` bits. */
const DECOUPLED = 1; // AdamW: θ ← f(θ·shrink)
const COUPLED = 2; // Adam with λ ≠ 0: g ← f(g + λ·θ)
const MAXIMIZE = 4;
const AMSGRAD = 8;

/**
 * The Adam / AdamW update of src/optim/adam-core.ts on n floats: parameters p, gradients g (read
 * only), moments m and v, and vMax (amsgrad only). The scalars are the float32 constants that
 * file computes (`AdamFamily.scalars`) for one step count.
 */
export function adamUpdate(
  n: i32, p: usize, g: usize, m: usize, v: usize, vMax: usize, flags: i32,
  wd: f32, shrink: f32, b1: f32, b2: f32, oneMinusB1: f32, oneMinusB2: f32, bc2Sqrt: f32, negStep: f32, eps: f32,
): void {
  const decoupled = (flags & DECOUPLED) != 0;
  const coupled = (flags & COUPLED) != 0;
  const maximize = (flags & MAXIMIZE) != 0;
  const amsgrad = (flags & AMSGRAD) != 0;
  const vShrink = f32x4.splat(shrink), vB1 = f32x4.splat(b1), vB2 = f32x4.splat(b2);
  const vOmb2 = f32x4.splat(oneMinusB2), vBc2 = f32x4.splat(bc2Sqrt), vNegStep = f32x4.splat(negStep), vEps = f32x4.splat(eps);
  const wWd = wide(wd), wOmb1 = wide(oneMinusB1);
  const bytes = <usize>((n + 3) & ~3) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    let theta = v128.load(p + o);
    if (decoupled) theta = f32x4.mul(theta, vShrink);
    let grad = v128.load(g + o);
    if (maximize) grad = f32x4.neg(grad);
    if (coupled) grad = mixed(grad, wWd, theta);
    const mj = mixed(f32x4.mul(v128.load(m + o), vB1), wOmb1, grad);
    const vj = f32x4.add(f32x4.mul(v128.load(v + o), vB2), f32x4.mul(f32x4.mul(vOmb2, grad), grad));
    v128.store(m + o, mj);
    v128.store(v + o, vj);
    let second = vj;
    if (amsgrad) {
      second = f32x4.max(v128.load(vMax + o), vj);
      v128.store(vMax + o, second);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(second), vBc2), vEps);
    v128.store(p + o, f32x4.add(theta, f32x4.div(f32x4.mul(vNegStep, mj), denom)));
  }
}

/** SGD's `flags` bits. */
const DECAY = 1; // λ ≠ 0: d ← f(d + λ·θ)
const MOMENTUM = 2; // μ ≠ 0: buf is the momentum buffer
const FIRST = 4; // the buffer's first step: b ← d
const NESTEROV = 8;
const SGD_MAXIMIZE = 16;

/**
 * The SGD update of src/optim/sgd.ts on n floats: parameters p, gradients g (read only) and the
 * momentum buffer buf (MOMENTUM only). keep = f(1 - dampening), negLr = f(-lr).
 */
export function sgdUpdate(n: i32, p: usize, g: usize, buf: usize, flags: i32, wd: f32, mu: f32, keep: f32, negLr: f32): void {
  const decay = (flags & DECAY) != 0;
  const momentum = (flags & MOMENTUM) != 0;
  const first = (flags & FIRST) != 0;
  const nesterov = (flags & NESTEROV) != 0;
  const maximize = (flags & SGD_MAXIMIZE) != 0;
  const vMu = f32x4.splat(mu);
  const wWd = wide(wd), wMu = wide(mu), wKeep = wide(keep), wNegLr = wide(negLr);
  const bytes = <usize>((n + 3) & ~3) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    const theta = v128.load(p + o);
    let d = v128.load(g + o);
    if (maximize) d = f32x4.neg(d);
    if (decay) d = mixed(d, wWd, theta);
    if (momentum) {
      const b = first ? d : mixed(f32x4.mul(v128.load(buf + o), vMu), wKeep, d);
      v128.store(buf + o, b);
      d = nesterov ? mixed(d, wMu, b) : b;
    }
    v128.store(p + o, mixed(theta, wNegLr, d));
  }
}

/** RMSprop's `flags` bits. */
const RMS_DECAY = 1; // λ ≠ 0: g ← f(g + λ·θ)
const RMS_MOMENTUM = 2; // μ > 0: buf is the momentum buffer
const CENTERED = 4; // mean is the running mean of g
const RMS_MAXIMIZE = 8;

/**
 * The RMSprop update of src/optim/rmsprop.ts on n floats: parameters p, gradients g (read only),
 * the running mean of g² sq, the momentum buffer buf (RMS_MOMENTUM only) and the running mean of g
 * (CENTERED only). a = f(α), oneMinusA = f(1 - α), negLr = f(-lr).
 */
export function rmspropUpdate(
  n: i32, p: usize, g: usize, sq: usize, buf: usize, mean: usize, flags: i32,
  wd: f32, a: f32, oneMinusA: f32, eps: f32, mu: f32, negLr: f32,
): void {
  const decay = (flags & RMS_DECAY) != 0;
  const momentum = (flags & RMS_MOMENTUM) != 0;
  const centered = (flags & CENTERED) != 0;
  const maximize = (flags & RMS_MAXIMIZE) != 0;
  const vA = f32x4.splat(a), vOma = f32x4.splat(oneMinusA), vEps = f32x4.splat(eps), vMu = f32x4.splat(mu), vNegLr = f32x4.splat(negLr);
  const wWd = wide(wd), wOma = wide(oneMinusA), wNegLr = wide(negLr);
  const bytes = <usize>((n + 3) & ~3) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    const theta = v128.load(p + o);
    let grad = v128.load(g + o);
    if (maximize) grad = f32x4.neg(grad);
    if (decay) grad = mixed(grad, wWd, theta);
    const s = f32x4.add(f32x4.mul(v128.load(sq + o), vA), f32x4.mul(f32x4.mul(vOma, grad), grad));
    v128.store(sq + o, s);
    let avg: v128;
    if (centered) {
      const gm = mixed(f32x4.mul(v128.load(mean + o), vA), wOma, grad);
      v128.store(mean + o, gm);
      avg = f32x4.sqrt(f32x4.add(s, f32x4.mul(f32x4.neg(gm), gm)));
    } else {
      avg = f32x4.sqrt(s);
    }
    avg = f32x4.add(avg, vEps);
    if (momentum) {
      const b = f32x4.add(f32x4.mul(v128.load(buf + o), vMu), f32x4.div(grad, avg));
      v128.store(buf + o, b);
      v128.store(p + o, mixed(theta, wNegLr, b));
    } else {
      v128.store(p + o, f32x4.add(theta, f32x4.div(f32x4.mul(vNegLr, grad), avg)));
    }
  }
}
