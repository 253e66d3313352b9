/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/), bytes in and
 * arrays out, with no file system, so that it runs in a browser too:
 *
 *   magic    4 bytes: 0x00 0x00, a type code (0x08 unsigned byte, the only type these datasets
 *            use), and the number of dimensions
 *   dims     one big-endian uint32 per dimension
 *   data     the values, row-major, one byte each
 *
 * Everything is checked against the byte length before anything is allocated, so a truncated
 * or hostile file fails with a message instead of a huge allocation.
 */

/** A parsed IDX array: its dimensions and its values, row-major. */
export interface IdxArray {
  /** Sizes of the dimensions, outermost first: (N) for labels, (N, 28, 28) for images. */
  dims: number[];
  /** The values, one per element (a view into the input bytes, not a copy). */
  data: Uint8Array;
}

/** Type code of unsigned bytes, the only element type MNIST-style files use. */
export const IDX_UBYTE = 0x08;
/** Most dimensions accepted (Fashion-MNIST uses 1 and 3). */
export const IDX_MAX_DIMS = 4;

/**
 * Parses an IDX file's bytes (already decompressed). `where` names the file in errors.
 * Returns the dims and a view of the data bytes; fails when the magic, the type, the
 * dimensions or the length do not agree.
 */
export function parseIdx(bytes: Uint8Array, where = "parseIdx"): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw new Error(`${where}: expected the file's bytes as a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < 4) throw new Error(`${where}: ${bytes.length} bytes is too short for an IDX header (4 bytes of magic)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${where}: not an IDX file (magic starts ${hex(bytes[0]!)} ${hex(bytes[1]!)}, expected 0x00 0x00); is it still gzipped?`);
  }
  const type = bytes[2]!;
  if (type !== IDX_UBYTE) throw new Error(`${where}: element type ${hex(type)} is not supported (only ${hex(IDX_UBYTE)}, unsigned bytes)`);
  const ndim = bytes[3]!;
  if (ndim < 1 || ndim > IDX_MAX_DIMS) throw new Error(`${where}: ${ndim} dimensions; expected 1 to ${IDX_MAX_DIMS}`);
  const header = 4 + 4 * ndim;
  if (bytes.length < header) throw new Error(`${where}: ${bytes.length} bytes is too short for the header of ${ndim} dimensions (${header} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < ndim; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    size *= n;
  }
  // Checked before the view is made: a header may claim more than the file holds.
  const expected = header + size;
  if (bytes.length !== expected) {
    throw new Error(`${where}: dims (${dims.join(", ")}) need ${size} data bytes after a ${header}-byte header (${expected} in all), but the file has ${bytes.length} bytes`);
  }
  return { dims, data: bytes.subarray(header) };
}

/** Writes an IDX file of unsigned bytes: the inverse of parseIdx (used to cut data slices). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  if (dims.length < 1 || dims.length > IDX_MAX_DIMS) throw new Error(`encodeIdx: ${dims.length} dimensions; expected 1 to ${IDX_MAX_DIMS}`);
  let size = 1;
  for (const n of dims) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`encodeIdx: dims must be non-negative 32-bit integers, got (${dims.join(", ")})`);
    size *= n;
  }
  if (data.length !== size) throw new Error(`encodeIdx: dims (${dims.join(", ")}) hold ${size} values but data has ${data.length}`);
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + size);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  out.set(data, header);
  return out;
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, "0")}`;
}
