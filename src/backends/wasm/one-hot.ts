/**
 * Recognising inputs made of one-hot rows (as oneHot makes for characters, or zeros for padding),
 * for which the input projection x · W_ihᵀ is a row lookup and the weight gradient a row scatter
 * (wasm/kernels/gather.ts) instead of two GEMMs over the input width.
 */

/**
 * For x (rows, I): the column of each row's single 1, or -1 for a row of zeros; null as soon as a
 * row is anything else. A dense input fails at its first non-zero that is not 1, so the check
 * costs almost nothing when it does not apply, and one pass over x when it does.
 */
export function oneHotColumns(x: Float32Array, rows: number, I: number): Int32Array | null {
  const index = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let hot = -1;
    const base = r * I;
    for (let k = 0; k < I; k++) {
      const v = x[base + k]!;
      if (v === 0) continue;
      if (v !== 1 || hot >= 0) return null;
      hot = k;
    }
    index[r] = hot;
  }
  return index;
}
