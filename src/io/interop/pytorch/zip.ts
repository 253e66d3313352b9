/**
 * A minimal ZIP reader for the archives `torch.save` writes: every entry stored uncompressed,
 * no encryption, one disk. It reads the end-of-central-directory record and the central
 * directory, and checks every offset and size against the file's length before it slices
 * anything, so a hostile archive can only produce a `PyTorchFormatError`. Entries are views
 * into the input (no copies).
 *
 * Layout (APPNOTE 6.3): local headers + data ... central directory ... [ZIP64 records] EOCD.
 */
import { MAX_ZIP_ENTRIES, PyTorchFormatError, quote } from "./errors.js";

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
/** The EOCD may be followed by a comment of up to 65535 bytes. */
const MAX_COMMENT = 0xffff;

/** A ZIP archive's entries by name, each the stored bytes as a view into the input. */
export type ZipEntries = Map<string, Uint8Array>;

/** True when `bytes` starts like a ZIP archive (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads the entries of an uncompressed ZIP archive. Throws `PyTorchFormatError` for a truncated
 * or inconsistent archive, a compressed or encrypted entry, a duplicate name, or more than
 * `MAX_ZIP_ENTRIES` entries. `source` names the file in errors.
 */
export function readZip(bytes: Uint8Array, source: string): ZipEntries {
  const fail = (why: string): never => {
    throw new PyTorchFormatError(`${source}: not a readable torch.save archive: ${why}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  if (n < EOCD_SIZE) fail(`the file is ${n} bytes, too short for a ZIP archive`);

  // The EOCD is the last record; search backwards over a possible comment.
  let eocd = -1;
  for (let at = n - EOCD_SIZE; at >= Math.max(0, n - EOCD_SIZE - MAX_COMMENT); at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_SIZE + view.getUint16(at + 20, true) === n) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail("no end-of-central-directory record (the file is truncated or not a ZIP archive)");
  const disk = view.getUint16(eocd + 4, true);
  const cdDisk = view.getUint16(eocd + 6, true);
  if (disk !== 0 || cdDisk !== 0) fail("multi-disk archives are not supported");
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);

  // ZIP64: the 16/32-bit fields are saturated and the real values sit in the ZIP64 EOCD record.
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== ZIP64_LOCATOR_SIGNATURE) fail("the end record points to a ZIP64 record that is missing");
    const rec = safeU64(view, loc + 8, "ZIP64 record offset", fail);
    if (rec + 56 > loc) fail(`the ZIP64 record offset ${rec} is outside the file`);
    if (view.getUint32(rec, true) !== ZIP64_EOCD_SIGNATURE) fail("bad ZIP64 end-of-central-directory signature");
    count = safeU64(view, rec + 32, "ZIP64 entry count", fail);
    cdSize = safeU64(view, rec + 40, "ZIP64 central directory size", fail);
    cdOffset = safeU64(view, rec + 48, "ZIP64 central directory offset", fail);
  }
  if (count > MAX_ZIP_ENTRIES) fail(`${count} entries, more than the limit of ${MAX_ZIP_ENTRIES}`);
  if (cdOffset + cdSize > eocd) fail(`the central directory (offset ${cdOffset}, ${cdSize} bytes) runs past the end record at ${eocd}`);
  if (count * CENTRAL_SIZE > cdSize) fail(`${count} entries cannot fit in a central directory of ${cdSize} bytes`);

  const entries: ZipEntries = new Map();
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let at = cdOffset;
  const cdEnd = cdOffset + cdSize;
  for (let k = 0; k < count; k++) {
    if (at + CENTRAL_SIZE > cdEnd) fail(`central directory entry ${k} runs past the directory's end`);
    if (view.getUint32(at, true) !== CENTRAL_SIGNATURE) fail(`central directory entry ${k} has a bad signature`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressed = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    let localOffset = view.getUint32(at + 42, true);
    const next = at + CENTRAL_SIZE + nameLen + extraLen + commentLen;
    if (next > cdEnd) fail(`central directory entry ${k} (name and extra fields) runs past the directory's end`);
    const name = decoder.decode(bytes.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLen));
    if ((flags & 1) !== 0) fail(`entry ${quote(name)} is encrypted`);
    if (method !== 0) {
      fail(`entry ${quote(name)} is compressed (method ${method}); torch.save stores entries uncompressed, so re-save the file with torch.save instead of re-zipping it`);
    }
    // ZIP64 extended information: the saturated fields follow in this order.
    if (size === 0xffffffff || compressed === 0xffffffff || localOffset === 0xffffffff) {
      let e = at + CENTRAL_SIZE + nameLen;
      const eEnd = e + extraLen;
      let found = false;
      while (e + 4 <= eEnd) {
        const id = view.getUint16(e, true);
        const len = view.getUint16(e + 2, true);
        if (e + 4 + len > eEnd) break;
        if (id === 0x0001) {
          let p = e + 4;
          const take = (): number => {
            if (p + 8 > e + 4 + len) fail(`entry ${quote(name)}: the ZIP64 extra field is too short`);
            const v = safeU64(view, p, "ZIP64 field", fail);
            p += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressed === 0xffffffff) compressed = take();
          if (localOffset === 0xffffffff) localOffset = take();
          found = true;
          break;
        }
        e += 4 + len;
      }
      if (!found) fail(`entry ${quote(name)} has saturated sizes but no ZIP64 extra field`);
    }
    if (compressed !== size) fail(`entry ${quote(name)} is stored with ${compressed} bytes but declares ${size}`);
    if (localOffset + LOCAL_SIZE > cdOffset) fail(`entry ${quote(name)}: local header offset ${localOffset} is outside the data area`);
    if (view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) fail(`entry ${quote(name)}: bad local header signature at ${localOffset}`);
    const localNameLen = view.getUint16(localOffset + 26, true);
    const localExtraLen = view.getUint16(localOffset + 28, true);
    const dataStart = localOffset + LOCAL_SIZE + localNameLen + localExtraLen;
    if (dataStart + size > cdOffset) fail(`entry ${quote(name)}: its ${size} bytes at offset ${dataStart} run past the data area (ends at ${cdOffset})`);
    if (entries.has(name)) fail(`entry ${quote(name)} appears twice`);
    entries.set(name, bytes.subarray(dataStart, dataStart + size));
    at = next;
  }
  return entries;
}

/** A little-endian u64 that must be a safe integer (offsets beyond 2^53 cannot fit a file we read). */
function safeU64(view: DataView, at: number, what: string, fail: (why: string) => never): number {
  if (at + 8 > view.byteLength) fail(`the ${what} at ${at} is outside the file`);
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`the ${what} is ${v}, beyond any file size`);
  return Number(v);
}
