/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 * Same seed, same numbers on every run and every platform (only 32-bit integer math).
 * The state is four uint32 words, so it can be saved in a checkpoint and restored.
 */

/** Everything needed to continue a stream exactly: the four xoshiro words and the cached normal deviate. */
export interface GeneratorState {
  words: [number, number, number, number];
  spare: number | null;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** A second normal deviate from Box-Muller, kept for the next call. */
  private spare: number | null = null;

  /** A generator seeded with `seed` (a finite number; its integer part modulo 2^32 is used). Default 0. */
  constructor(seed = 0) {
    this.reseed("Generator", seed);
  }

  /** Resets the stream so that it starts again from `seed` (a finite number). */
  seed(seed: number): void {
    this.reseed("Generator.seed", seed);
  }

  /** @internal `where` names the public caller in the error. */
  reseed(where: string, seed: number): void {
    if (typeof seed !== "number" || !Number.isFinite(seed)) throw new TypeError(`${where}: seed must be a finite number, got ${describe(seed)}`);
    const sm = splitmix32(Math.floor(seed) >>> 0);
    this.s0 = sm();
    this.s1 = sm();
    this.s2 = sm();
    this.s3 = sm();
    this.spare = null;
  }

  /** Next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3 >>> 0, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform float in [0, 1) with 24 random bits, exactly representable in float32. */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Uniform float in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal deviate (Box-Muller). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Uniform integer in [low, high): both safe integers, high > low, high - low at most 2^53.
   * Spans up to 2^24 take one 24-bit draw (the streams every seeded run so far was made with; a
   * value's probability is off by at most span/2^24 of itself). Larger spans draw 53 random bits
   * and reject the incomplete top block, so every value in the range can come out, equally likely.
   */
  randint(low: number, high: number): number {
    if (typeof low !== "number" || !Number.isSafeInteger(low) || typeof high !== "number" || !Number.isSafeInteger(high)) {
      throw new TypeError(`randint: low and high must be safe integers, got low=${describe(low)}, high=${describe(high)}`);
    }
    if (!(high > low)) throw new RangeError(`randint: expected high > low, got low=${low}, high=${high}`);
    const span = high - low;
    if (!(span <= 2 ** 53)) throw new RangeError(`randint: high - low must be at most 2^53, got low=${low}, high=${high}`);
    if (span <= 2 ** 24) return low + Math.floor(this.uniform() * span);
    const limit = Math.floor(2 ** 53 / span) * span;
    for (;;) {
      const x = (this.nextUint32() >>> 11) * 2 ** 32 + this.nextUint32();
      if (x < limit) return low + (x % span);
    }
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randint(0, i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** The full state, for checkpoints (JSON-serialisable). */
  getState(): GeneratorState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /**
   * Restores a state from getState(), so the stream continues exactly where it was saved. The
   * words must be four integers in [0, 2^32), not all zero (xoshiro's one fixed point: from it
   * the generator draws zeros forever); `spare` is null or a finite number.
   */
  setState(state: GeneratorState): void {
    if (typeof state !== "object" || state === null) throw new TypeError(`Generator.setState: state must be { words, spare }, got ${describe(state)}`);
    const words: unknown = state.words;
    if (!Array.isArray(words) || words.length !== 4 || !words.every((w: unknown) => typeof w === "number" && Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new RangeError(`Generator.setState: words must be four integers in [0, 2^32), got ${describe(words)}`);
    }
    if (words.every((w: unknown) => w === 0)) {
      throw new RangeError("Generator.setState: words are all zero, a state the generator never leaves (it would draw zeros forever)");
    }
    const spare: unknown = state.spare;
    if (spare !== null && (typeof spare !== "number" || !Number.isFinite(spare))) {
      throw new TypeError(`Generator.setState: spare must be null or a finite number, got ${describe(spare)}`);
    }
    const [a, b, c, d] = state.words;
    this.s0 = a >>> 0;
    this.s1 = b >>> 0;
    this.s2 = c >>> 0;
    this.s3 = d >>> 0;
    this.spare = state.spare;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return v.length <= 4 ? `[${v.map(describe).join(", ")}]` : `an array of length ${v.length}`;
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === "object" && v !== null) return "an object";
  return String(v).slice(0, 40);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The process-wide generator used for initialisation, dropout and sampling unless one is passed. */
export const globalGenerator = new Generator(0);

/** Seeds the global generator, like torch.manual_seed. */
export function manualSeed(seed: number): void {
  globalGenerator.reseed("manualSeed", seed);
}
