/**
 * BLEU, in the two forms the translation task reports.
 *
 * `bleu(pred, label, k)` is *Dive into Deep Learning*'s sentence score (d2l 1.0, section
 * "Sequence-to-Sequence Learning", eq. 10.7.4), computed as its code computes it:
 *
 *   exp(min(0, 1 - len_label / len_pred)) · Π_{n=1}^{min(k, len_pred)} p_n^(1/2^n)
 *
 * where p_n is the clipped n-gram precision: each n-gram of the prediction matches at most as
 * many times as it occurs in the label. Both sequences are split on single spaces, as d2l does.
 *
 * `corpusBleu` is Papineni et al. (2002)'s corpus BLEU-N (N = 4 by default): clipped n-gram
 * matches and n-gram counts summed over the whole corpus, p_n = matches / counts, uniform
 * weights, brevity penalty exp(1 - r/c) when the total candidate length c is below the total
 * reference length r: BP · exp(Σ_n log(p_n) / N), 0 when some p_n is 0. No smoothing.
 */

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  // "\u0000" cannot occur inside a token split from text on spaces, so joined keys never collide.
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0000");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Clipped matches of the prediction's n-grams in the label, and the prediction's n-gram count. */
function matches(pred: readonly string[], label: readonly string[], n: number): [number, number] {
  const avail = ngrams(label, n);
  let hit = 0;
  for (let i = 0; i + n <= pred.length; i++) {
    const key = pred.slice(i, i + n).join("\u0000");
    const left = avail.get(key) ?? 0;
    if (left > 0) {
      hit++;
      avail.set(key, left - 1);
    }
  }
  return [hit, Math.max(0, pred.length - n + 1)];
}

function tokensOf(where: string, name: string, seq: string | readonly string[]): readonly string[] {
  if (typeof seq === "string") return seq.split(" ");
  if (Array.isArray(seq) && seq.every((t) => typeof t === "string")) return seq;
  throw new Error(`${where}: ${name} must be a string or an array of token strings, got ${typeof seq}`);
}

/**
 * d2l's BLEU of one predicted sequence against one label (strings are split on single spaces,
 * arrays are taken as tokens); `k` is the longest n-gram matched. In [0, 1]; 1 for an exact copy.
 * An empty prediction scores 0 (d2l's code divides by its length).
 */
export function bleu(pred: string | readonly string[], label: string | readonly string[], k: number): number {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`bleu: k must be a positive integer, got ${String(k)}`);
  const p = tokensOf("bleu", "pred", pred);
  const l = tokensOf("bleu", "label", label);
  if (p.length === 0) return 0;
  let score = Math.exp(Math.min(0, 1 - l.length / p.length));
  for (let n = 1; n <= Math.min(k, p.length); n++) {
    const [hit, total] = matches(p, l, n);
    score *= Math.pow(hit / total, Math.pow(0.5, n));
  }
  return score;
}

/** Corpus BLEU's parts, for reports: the score, each p_n, the brevity penalty and the two lengths. */
export interface CorpusBleu {
  bleu: number;
  precisions: number[];
  brevityPenalty: number;
  candidateLength: number;
  referenceLength: number;
}

/** Papineni et al.'s corpus BLEU-`maxN` of token lists against one reference each (see the module comment). */
export function corpusBleu(preds: readonly (readonly string[])[], refs: readonly (readonly string[])[], maxN = 4): CorpusBleu {
  if (preds.length !== refs.length) throw new Error(`corpusBleu: ${preds.length} predictions but ${refs.length} references; give one reference per prediction`);
  if (!(Number.isInteger(maxN) && maxN >= 1)) throw new Error(`corpusBleu: maxN must be a positive integer, got ${String(maxN)}`);
  const hits = new Array<number>(maxN).fill(0);
  const totals = new Array<number>(maxN).fill(0);
  let c = 0;
  let r = 0;
  preds.forEach((p, i) => {
    const ref = refs[i]!;
    c += p.length;
    r += ref.length;
    for (let n = 1; n <= maxN; n++) {
      const [hit, total] = matches(p, ref, n);
      hits[n - 1]! += hit;
      totals[n - 1]! += total;
    }
  });
  const precisions = hits.map((h, i) => (totals[i]! > 0 ? h / totals[i]! : 0));
  const brevityPenalty = c === 0 ? 0 : c < r ? Math.exp(1 - r / c) : 1;
  const score = precisions.some((p) => p === 0) ? 0 : brevityPenalty * Math.exp(precisions.reduce((s, p) => s + Math.log(p), 0) / maxN);
  return { bleu: score, precisions, brevityPenalty, candidateLength: c, referenceLength: r };
}
