// Fused layer-normalised LSTM (the cell of src/nn/cells/layernorm-lstm.ts, PyTorch's fastrnns
// LayerNormLSTMCell): layer norms over rows, and one time step forward and backward.
//
// Symbols: B batch, H hidden size, G = 4H gate rows in the order i|f|g|o.
//   a = LN_i(x W_ihᵀ) + LN_h(h_prev W_hhᵀ);  i, f, o = σ(a_·), g = tanh(a_g)
//   c = LN_c(f * c_prev + i * g);  h = o * tanh(c)
// with LN(v) = γ * x̂ + β, x̂ = (v - mean v) * rstd, rstd = 1 / sqrt(var v + 1e-5).
// norms (4G + 2H) = γ_i | β_i | γ_h | β_h | γ_c | β_c (biases zero when the layer has none), and
// dNorms the same layout for their gradients (accumulated, +=). Statistics are summed in f64.
// A row's normalisation needs the whole row, so a call handles whole rows (no split by units).
// Pointers are byte offsets; rstd (rows, 3) holds 1/σ of LN_i, LN_h, LN_c per row.
import { sigmoid4, tanh4 } from "./math";

const EPS: f64 = 1e-5;

// @ts-ignore: decorator
@inline
function at(p: usize, k: i32): usize {
  return p + (<usize>k << 2);
}

// @ts-ignore: decorator
@inline
function sigmoid(v: f32): f32 {
  return f32x4.extract_lane(sigmoid4(f32x4.splat(v)), 0);
}

// @ts-ignore: decorator
@inline
function tanh(v: f32): f32 {
  return f32x4.extract_lane(tanh4(f32x4.splat(v)), 0);
}

/** Normalises n floats at src into xhat; returns rstd. src and xhat may be the same. */
function normalizeRow(n: i32, src: usize, xhat: usize): f32 {
  let m: f64 = 0;
  for (let k = 0; k < n; k++) m += <f64>load<f32>(at(src, k));
  m /= <f64>n;
  let q: f64 = 0;
  for (let k = 0; k < n; k++) {
    const d = <f64>load<f32>(at(src, k)) - m;
    q += d * d;
  }
  const rstd = 1 / Math.sqrt(q / <f64>n + EPS);
  for (let k = 0; k < n; k++) store<f32>(at(xhat, k), <f32>((<f64>load<f32>(at(src, k)) - m) * rstd));
  return <f32>rstd;
}

/**
 * In place, dy (n) := rstd · (dy - mean(dy) - x̂ · mean(dy · x̂)): the gradient through the
 * normalisation, given the gradient reaching x̂.
 */
function normalizeBackwardRow(n: i32, dy: usize, xhat: usize, rstd: f32): void {
  let m1: f64 = 0;
  let m2: f64 = 0;
  for (let k = 0; k < n; k++) {
    const d = <f64>load<f32>(at(dy, k));
    m1 += d;
    m2 += d * <f64>load<f32>(at(xhat, k));
  }
  m1 /= <f64>n;
  m2 /= <f64>n;
  for (let k = 0; k < n; k++) {
    const d = <f64>load<f32>(at(dy, k));
    store<f32>(at(dy, k), <f32>(<f64>rstd * (d - m1 - <f64>load<f32>(at(xhat, k)) * m2)));
  }
}

/** For each of `rows` rows of n floats at src: x̂ into xhat (same layout), rstd at rstd + 3·row (+ slot). */
export function layerNormRows(rows: i32, n: i32, src: usize, xhat: usize, rstd: usize, slot: i32): void {
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * n;
    store<f32>(at(rstd, r * 3 + slot), normalizeRow(n, at(src, <i32>o), at(xhat, <i32>o)));
  }
}

/**
 * One forward step for B rows. hp (B, G): h_prev W_hhᵀ; xhatI (B, G): this step's normalised
 * input products (from layerNormRows); xhatH (B, G) and rstd (B, 3) slots 1 and 2, xhatC (B, H),
 * acts (B, G), c (B, H) and h (B, H) are written. cPrev (B, H) in.
 */
export function lnLstmForwardStep(
  B: i32, H: i32, hp: usize, xhatI: usize, xhatH: usize, norms: usize, rstd: usize, acts: usize, cPrev: usize, xhatC: usize, c: usize, h: usize,
): void {
  const G = 4 * H;
  const gI = norms;
  const bI = at(norms, G);
  const gH = at(norms, 2 * G);
  const bH = at(norms, 3 * G);
  const gC = at(norms, 4 * G);
  const bC = at(norms, 4 * G + H);
  for (let b = 0; b < B; b++) {
    const rowG = b * G;
    const rowH = b * H;
    store<f32>(at(rstd, b * 3 + 1), normalizeRow(G, at(hp, rowG), at(xhatH, rowG)));
    for (let k = 0; k < G; k++) {
      const pre: f32 =
        load<f32>(at(gI, k)) * load<f32>(at(xhatI, rowG + k)) + load<f32>(at(bI, k)) +
        (load<f32>(at(gH, k)) * load<f32>(at(xhatH, rowG + k)) + load<f32>(at(bH, k)));
      store<f32>(at(acts, rowG + k), k >= 2 * H && k < 3 * H ? tanh(pre) : sigmoid(pre));
    }
    // c holds f * c_prev + i * g until the norm replaces it.
    for (let j = 0; j < H; j++) {
      const i = load<f32>(at(acts, rowG + j));
      const f = load<f32>(at(acts, rowG + H + j));
      const g = load<f32>(at(acts, rowG + 2 * H + j));
      store<f32>(at(c, rowH + j), f * load<f32>(at(cPrev, rowH + j)) + i * g);
    }
    store<f32>(at(rstd, b * 3 + 2), normalizeRow(H, at(c, rowH), at(xhatC, rowH)));
    for (let j = 0; j < H; j++) {
      const cv = load<f32>(at(gC, j)) * load<f32>(at(xhatC, rowH + j)) + load<f32>(at(bC, j));
      store<f32>(at(c, rowH + j), cv);
      store<f32>(at(h, rowH + j), load<f32>(at(acts, rowG + 3 * H + j)) * tanh(cv));
    }
  }
}

/**
 * One backward step for B rows. acts (B, G), c and cPrev (B, H), xhatI, xhatH (B, G), xhatC (B, H)
 * and rstd (B, 3): what forward kept. dh (B, H): the full gradient reaching h. dc (B, H): the
 * gradient reaching c from later steps in, the gradient reaching cPrev out. dGx, dGh (B, G) get
 * the gradients of x W_ihᵀ and h_prev W_hhᵀ (assigned); dNorms accumulates; scratch holds G floats.
 */
export function lnLstmBackwardStep(
  B: i32, H: i32, acts: usize, c: usize, cPrev: usize, xhatI: usize, xhatH: usize, xhatC: usize, rstd: usize,
  norms: usize, dh: usize, dc: usize, dGx: usize, dGh: usize, dNorms: usize, scratch: usize,
): void {
  const G = 4 * H;
  const dA = scratch; // (G) ∂L/∂a of one row
  for (let b = 0; b < B; b++) {
    const rowG = b * G;
    const rowH = b * H;
    // Through h = o * tanh(c) and c = γ_c x̂_c + β_c: the gradient reaching x̂_c goes into dc.
    for (let j = 0; j < H; j++) {
      const o = load<f32>(at(acts, rowG + 3 * H + j));
      const tc = tanh(load<f32>(at(c, rowH + j)));
      const dhv = load<f32>(at(dh, rowH + j));
      store<f32>(at(dA, 3 * H + j), dhv * tc * (o * (1 - o)));
      const dcv = load<f32>(at(dc, rowH + j)) + dhv * o * (1 - tc * tc);
      const xc = load<f32>(at(xhatC, rowH + j));
      store<f32>(at(dNorms, 4 * G + j), load<f32>(at(dNorms, 4 * G + j)) + dcv * xc);
      store<f32>(at(dNorms, 4 * G + H + j), load<f32>(at(dNorms, 4 * G + H + j)) + dcv);
      store<f32>(at(dc, rowH + j), dcv * load<f32>(at(norms, 4 * G + j)));
    }
    normalizeBackwardRow(H, at(dc, rowH), at(xhatC, rowH), load<f32>(at(rstd, b * 3 + 2)));
    for (let j = 0; j < H; j++) {
      const i = load<f32>(at(acts, rowG + j));
      const f = load<f32>(at(acts, rowG + H + j));
      const g = load<f32>(at(acts, rowG + 2 * H + j));
      const d = load<f32>(at(dc, rowH + j));
      store<f32>(at(dA, j), d * g * (i * (1 - i)));
      store<f32>(at(dA, H + j), d * load<f32>(at(cPrev, rowH + j)) * (f * (1 - f)));
      store<f32>(at(dA, 2 * H + j), d * i * ((1 - g) * (1 + g)));
      store<f32>(at(dc, rowH + j), d * f);
    }
    for (let k = 0; k < G; k++) {
      const d = load<f32>(at(dA, k));
      store<f32>(at(dNorms, k), load<f32>(at(dNorms, k)) + d * load<f32>(at(xhatI, rowG + k)));
      store<f32>(at(dNorms, G + k), load<f32>(at(dNorms, G + k)) + d);
      store<f32>(at(dNorms, 2 * G + k), load<f32>(at(dNorms, 2 * G + k)) + d * load<f32>(at(xhatH, rowG + k)));
      store<f32>(at(dNorms, 3 * G + k), load<f32>(at(dNorms, 3 * G + k)) + d);
      store<f32>(at(dGx, rowG + k), d * load<f32>(at(norms, k)));
      store<f32>(at(dGh, rowG + k), d * load<f32>(at(norms, 2 * G + k)));
    }
    normalizeBackwardRow(G, at(dGx, rowG), at(xhatI, rowG), load<f32>(at(rstd, b * 3)));
    normalizeBackwardRow(G, at(dGh, rowG), at(xhatH, rowG), load<f32>(at(rstd, b * 3 + 1)));
  }
}
