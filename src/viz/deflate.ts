/**
 * zlib streams (RFC 1950) around DEFLATE (RFC 1951), in pure TypeScript so plots can be encoded
 * in the browser too.
 *
 * One fixed-Huffman block with LZ77 matches found through hash chains. Plots are mostly long runs
 * of background pixels, which LZ77 turns into 258-byte matches, so fixed codes lose little against
 * dynamic ones here. If the result would be larger than the input (noise-like images), the data
 * is written as stored blocks instead.
 */

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** Candidates tried per position: long enough to find runs, short enough to stay linear-ish. */
const MAX_CHAIN = 64;
const HASH_BITS = 15;
const HASH_SIZE = 1 << HASH_BITS;

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
  12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

function reverseBits(code: number, length: number): number {
  let r = 0;
  for (let i = 0; i < length; i++) {
    r = (r << 1) | (code & 1);
    code >>>= 1;
  }
  return r;
}

/**
 * The fixed literal/length code of RFC 1951 §3.2.6, bit-reversed because Huffman codes are sent
 * most significant bit first into an otherwise least-significant-first bit stream.
 */
const FIXED_CODE = new Uint16Array(288);
const FIXED_LEN = new Uint8Array(288);
for (let s = 0; s < 288; s++) {
  const [base, first, len] = s < 144 ? [0x30, 0, 8] : s < 256 ? [0x190, 144, 9] : s < 280 ? [0, 256, 7] : [0xc0, 280, 8];
  FIXED_LEN[s] = len;
  FIXED_CODE[s] = reverseBits(base + s - first, len);
}
const DIST_CODE = Uint8Array.from({ length: 30 }, (_, d) => reverseBits(d, 5));

/** Length 3..258 to its symbol index into LEN_BASE. */
const LEN_SYMBOL = new Uint8Array(MAX_MATCH + 1);
for (let i = 0; i < LEN_BASE.length; i++) {
  const end = i + 1 < LEN_BASE.length ? LEN_BASE[i + 1] : MAX_MATCH + 1;
  for (let l = LEN_BASE[i]; l < end; l++) LEN_SYMBOL[l] = i;
}

function distSymbol(d: number): number {
  let i = DIST_BASE.length - 1;
  while (DIST_BASE[i] > d) i--;
  return i;
}

class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private acc = 0;
  private nbits = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Writes the low `n` bits of `value` (n <= 16), least significant first. */
  bits(value: number, n: number): void {
    this.acc |= value << this.nbits;
    this.nbits += n;
    this.ensure(4);
    while (this.nbits >= 8) {
      this.buf[this.pos++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.nbits -= 8;
    }
  }

  /** Pads to a byte boundary. */
  align(): void {
    if (this.nbits > 0) this.bits(0, 8 - this.nbits);
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  finish(): Uint8Array {
    this.align();
    return this.buf.slice(0, this.pos);
  }
}

function hashAt(data: Uint8Array, i: number): number {
  return (((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) * 0x9e37) & (HASH_SIZE - 1);
}

/** One final fixed-Huffman DEFLATE block holding all of `data`. */
export function deflateFixed(data: Uint8Array): Uint8Array {
  const out = new BitWriter(data.length >>> 2);
  out.bits(1, 1); // BFINAL
  out.bits(1, 2); // BTYPE = 01, fixed Huffman codes
  const head = new Int32Array(HASH_SIZE).fill(-1);
  const prev = new Int32Array(WINDOW);
  const n = data.length;
  const insert = (i: number): void => {
    if (i + MIN_MATCH > n) return;
    const h = hashAt(data, i);
    prev[i & (WINDOW - 1)] = head[h];
    head[h] = i;
  };
  let i = 0;
  while (i < n) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + MIN_MATCH <= n) {
      const limit = Math.min(MAX_MATCH, n - i);
      let cand = head[hashAt(data, i)];
      for (let chain = 0; cand >= 0 && i - cand <= WINDOW && chain < MAX_CHAIN; chain++) {
        let l = 0;
        while (l < limit && data[cand + l] === data[i + l]) l++;
        if (l > bestLen) {
          bestLen = l;
          bestDist = i - cand;
          if (l === limit) break;
        }
        const next = prev[cand & (WINDOW - 1)];
        // A slot overwritten by a newer position would point forward; the chain ends there.
        if (next >= cand) break;
        cand = next;
      }
    }
    if (bestLen >= MIN_MATCH) {
      const ls = LEN_SYMBOL[bestLen];
      out.bits(FIXED_CODE[257 + ls], FIXED_LEN[257 + ls]);
      if (LEN_EXTRA[ls] > 0) out.bits(bestLen - LEN_BASE[ls], LEN_EXTRA[ls]);
      const ds = distSymbol(bestDist);
      out.bits(DIST_CODE[ds], 5);
      if (DIST_EXTRA[ds] > 0) out.bits(bestDist - DIST_BASE[ds], DIST_EXTRA[ds]);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
    } else {
      out.bits(FIXED_CODE[data[i]], FIXED_LEN[data[i]]);
      insert(i);
      i++;
    }
  }
  out.bits(FIXED_CODE[256], FIXED_LEN[256]);
  return out.finish();
}

/** Uncompressed DEFLATE: stored blocks of at most 65535 bytes. */
export function deflateStored(data: Uint8Array): Uint8Array {
  const out = new BitWriter(data.length + 5 * Math.ceil(data.length / 65535) + 5);
  let i = 0;
  do {
    const len = Math.min(65535, data.length - i);
    const last = i + len >= data.length;
    out.bits(last ? 1 : 0, 1);
    out.bits(0, 2); // BTYPE = 00, stored
    out.align();
    out.bits(len & 0xffff, 16);
    out.bits(~len & 0xffff, 16);
    out.bytes(data.subarray(i, i + len));
    i += len;
  } while (i < data.length);
  return out.finish();
}

/** Adler-32 of the data, as the zlib trailer needs it. */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the most bytes that can be summed before b may overflow 2^32 (zlib's NMAX).
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream: 2-byte header, DEFLATE data, big-endian Adler-32. */
export function zlibCompress(data: Uint8Array): Uint8Array {
  let body = deflateFixed(data);
  if (body.length > data.length + 5 * Math.ceil(data.length / 65535) + 5) body = deflateStored(data);
  const out = new Uint8Array(body.length + 6);
  // CMF 0x78: DEFLATE with a 32 KiB window; FLG 0x01 makes (CMF*256 + FLG) a multiple of 31.
  out[0] = 0x78;
  out[1] = 0x01;
  out.set(body, 2);
  const sum = adler32(data);
  out[out.length - 4] = sum >>> 24;
  out[out.length - 3] = (sum >>> 16) & 0xff;
  out[out.length - 2] = (sum >>> 8) & 0xff;
  out[out.length - 1] = sum & 0xff;
  return out;
}
