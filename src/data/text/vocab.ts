/**
 * Token <-> index table, as d2l's `Vocab` (chapter "Text Preprocessing", PyTorch edition).
 *
 * Index 0 is always "<unk>", then the reserved tokens in the order given, then every counted token
 * with frequency >= minFreq, most frequent first. Ties keep the order of first appearance: d2l sorts
 * `collections.Counter(tokens).items()` (insertion-ordered) with Python's stable `sorted(...,
 * reverse=True)`, and a stable descending sort here gives the same table.
 */

/** The token that every unknown token maps to; always at index 0. */
export const UNK = "<unk>";

/** Options of `new Vocab(tokens, options)`. */
export interface VocabOptions {
  /** Tokens counted fewer times than this are left out (they map to <unk>). Non-negative integer; default 0. */
  minFreq?: number;
  /** Tokens placed right after <unk> whatever their count, e.g. "<pad>", "<bos>", "<eos>". Default []. */
  reservedTokens?: readonly string[];
}

/** The serialised form written by `Vocab.toJSON()` and read by `Vocab.fromJSON()`. */
export interface VocabJSON {
  /** Format version; 1. */
  version: 1;
  /** The table itself: idxToToken[i] is the token of index i; idxToToken[0] is "<unk>". */
  idxToToken: string[];
  /** Every counted token with its count, most frequent first (d2l's `token_freqs`). */
  tokenFreqs: [string, number][];
}

export class Vocab {
  private idxToTokenList: string[] = [UNK];
  private tokenToIdx = new Map<string, number>([[UNK, 0]]);
  private freqs: [string, number][] = [];

  /**
   * Counts `tokens` (a flat list, or a list of lines that is flattened, as d2l's `count_corpus` does
   * when the first element is a list) and builds the table.
   */
  constructor(tokens: readonly string[] | readonly (readonly string[])[] = [], options: VocabOptions = {}) {
    const minFreq = options.minFreq ?? 0;
    const reserved = options.reservedTokens ?? [];
    if (!Number.isInteger(minFreq) || minFreq < 0) {
      throw new Error(`Vocab: minFreq must be a non-negative integer, got ${String(minFreq)}`);
    }
    if (!Array.isArray(reserved)) {
      throw new Error(`Vocab: reservedTokens must be an array of strings, got ${typeof reserved}`);
    }
    const seen = new Set<string>();
    for (const [i, t] of reserved.entries()) {
      if (typeof t !== "string") throw new Error(`Vocab: reservedTokens[${i}] must be a string, got ${typeof t}`);
      if (t === UNK) throw new Error(`Vocab: reservedTokens must not contain "${UNK}" (it is always index 0), got it at ${i}`);
      if (seen.has(t)) throw new Error(`Vocab: reservedTokens must not repeat a token, got ${describe(t)} twice`);
      seen.add(t);
    }

    this.freqs = countTokens(tokens);
    for (const t of reserved) this.add(t);
    for (const [token, freq] of this.freqs) {
      // Sorted by count, so the first one under minFreq ends the table (d2l breaks here too).
      if (freq < minFreq) break;
      if (!this.tokenToIdx.has(token)) this.add(token);
    }
  }

  private add(token: string): void {
    this.tokenToIdx.set(token, this.idxToTokenList.length);
    this.idxToTokenList.push(token);
  }

  /** Number of entries, <unk> and reserved tokens included. */
  get length(): number {
    return this.idxToTokenList.length;
  }

  /** Index of <unk>: 0. */
  get unk(): number {
    return 0;
  }

  /** The table: idxToToken[i] is the token of index i. */
  get idxToToken(): readonly string[] {
    return this.idxToTokenList;
  }

  /** Every counted token with its count, most frequent first, ties in order of first appearance. */
  get tokenFreqs(): [string, number][] {
    return this.freqs.map(([t, n]) => [t, n]);
  }

  /** Index of `token`; 0 (<unk>) when the token is not in the table. */
  indexOf(token: string): number {
    return this.tokenToIdx.get(token) ?? 0;
  }

  /** Indices of `tokens`, unknown ones as 0. */
  toIndices(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    let i = 0;
    for (const t of tokens) out[i++] = this.tokenToIdx.get(t) ?? 0;
    return out;
  }

  /** Tokens of `indices`; each index must be an integer in [0, length). */
  toTokens(indices: ArrayLike<number>): string[] {
    const out: string[] = new Array<string>(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i];
      const token = k !== undefined && Number.isInteger(k) ? this.idxToTokenList[k] : undefined;
      if (token === undefined) {
        throw new Error(`Vocab.toTokens: indices[${i}] must be an integer in [0, ${this.length}), got ${String(k)}`);
      }
      out[i] = token;
    }
    return out;
  }

  /** A plain object that `JSON.stringify` can write and `Vocab.fromJSON` reads back to an equal Vocab. */
  toJSON(): VocabJSON {
    return { version: 1, idxToToken: [...this.idxToTokenList], tokenFreqs: this.tokenFreqs };
  }

  /** Rebuilds a Vocab from `toJSON()` output (or its parsed JSON text), checking every field. */
  static fromJSON(json: unknown): Vocab {
    const where = "Vocab.fromJSON";
    if (!isRecord(json)) throw new Error(`${where}: expected an object, got ${describe(json)}`);
    if (json["version"] !== 1) throw new Error(`${where}: version must be 1, got ${describe(json["version"])}`);

    const table = json["idxToToken"];
    if (!Array.isArray(table)) throw new Error(`${where}: idxToToken must be an array of strings, got ${describe(table)}`);
    if (table[0] !== UNK) throw new Error(`${where}: idxToToken[0] must be "${UNK}", got ${describe(table[0])}`);
    const idxToToken: string[] = [];
    const index = new Map<string, number>();
    for (const [i, t] of table.entries()) {
      if (typeof t !== "string") throw new Error(`${where}: idxToToken[${i}] must be a string, got ${describe(t)}`);
      const prev = index.get(t);
      if (prev !== undefined) {
        throw new Error(`${where}: idxToToken must not repeat a token, got ${describe(t)} at ${prev} and ${i}`);
      }
      index.set(t, i);
      idxToToken.push(t);
    }

    const freqTable = json["tokenFreqs"];
    if (!Array.isArray(freqTable)) {
      throw new Error(`${where}: tokenFreqs must be an array of [token, count] pairs, got ${describe(freqTable)}`);
    }
    const freqs: [string, number][] = [];
    const counted = new Set<string>();
    for (const [i, pair] of freqTable.entries()) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new Error(`${where}: tokenFreqs[${i}] must be a [token, count] pair, got ${describe(pair)}`);
      }
      const [t, n] = pair;
      if (typeof t !== "string") throw new Error(`${where}: tokenFreqs[${i}][0] must be a string, got ${describe(t)}`);
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
        throw new Error(`${where}: tokenFreqs[${i}][1] must be a positive integer count, got ${describe(n)}`);
      }
      if (counted.has(t)) throw new Error(`${where}: tokenFreqs must not repeat a token, got ${describe(t)} twice`);
      counted.add(t);
      freqs.push([t, n]);
    }

    const vocab = new Vocab();
    vocab.idxToTokenList = idxToToken;
    vocab.tokenToIdx = index;
    vocab.freqs = freqs;
    return vocab;
  }
}

/** d2l's `count_corpus`: flattens a list of lines, then counts in order of first appearance. */
function countTokens(tokens: readonly string[] | readonly (readonly string[])[]): [string, number][] {
  if (!Array.isArray(tokens)) throw new Error(`Vocab: tokens must be an array, got ${describe(tokens)}`);
  const items: readonly unknown[] = tokens;
  const counts = new Map<string, number>();
  const count = (t: unknown, where: string): void => {
    if (typeof t !== "string") throw new Error(`Vocab: ${where} must be a string, got ${describe(t)}`);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  };
  const nested = items.length > 0 && Array.isArray(items[0]);
  for (const [i, item] of items.entries()) {
    if (nested) {
      if (!Array.isArray(item)) {
        throw new Error(`Vocab: tokens is a list of lines, so tokens[${i}] must be an array, got ${describe(item)}`);
      }
      for (const [j, t] of item.entries()) count(t, `tokens[${i}][${j}]`);
    } else {
      count(item, `tokens[${i}]`);
    }
  }
  // Array.prototype.sort is stable, so equal counts keep first-appearance order, as in Python.
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === "string") return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}...` : x);
  if (typeof x === "object" && x !== null) return "an object";
  return String(x);
}
