/**
 * WOFF 1.0 -> OpenType/TrueType (sfnt) conversion. Web font packages ship WOFF, which is the
 * same tables each zlib-compressed; rasterisers that read only TTF/OTF files (resvg) get them
 * back uncompressed. Layout: https://www.w3.org/TR/WOFF/ (header, table directory, tables).
 */
import { unzlibSync } from "fflate";

const WOFF_SIGNATURE = 0x774f4646; // "wOFF"
const HEADER_BYTES = 44;
const WOFF_ENTRY_BYTES = 20;
const SFNT_ENTRY_BYTES = 16;
/** A font has a few dozen tables; more is a corrupt or hostile file. */
const MAX_TABLES = 256;

/** Decodes a WOFF 1.0 file into the sfnt (TTF/OTF) bytes it wraps. Throws on a malformed file. */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const fail = (msg: string): never => {
    throw new Error(`woffToSfnt: ${msg}`);
  };
  if (woff.length < HEADER_BYTES) fail(`file is ${woff.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  const v = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (v.getUint32(0) !== WOFF_SIGNATURE) fail("not a WOFF 1.0 file (no wOFF signature)");
  const flavor = v.getUint32(4);
  const numTables = v.getUint16(12);
  if (numTables === 0 || numTables > MAX_TABLES) fail(`table count ${numTables} is outside [1, ${MAX_TABLES}]`);
  if (HEADER_BYTES + numTables * WOFF_ENTRY_BYTES > woff.length) fail("table directory runs past the end of the file");

  const tables: { tag: number; checksum: number; data: Uint8Array }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = HEADER_BYTES + i * WOFF_ENTRY_BYTES;
    const tag = v.getUint32(at);
    const offset = v.getUint32(at + 4);
    const compLength = v.getUint32(at + 8);
    const origLength = v.getUint32(at + 12);
    const checksum = v.getUint32(at + 16);
    if (offset + compLength > woff.length) fail(`table ${i} runs past the end of the file`);
    if (compLength > origLength) fail(`table ${i} is larger compressed (${compLength}) than uncompressed (${origLength})`);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? unzlibSync(raw, { out: new Uint8Array(origLength) }) : raw;
    if (data.length !== origLength) fail(`table ${i} inflates to ${data.length} bytes, expected ${origLength}`);
    tables.push({ tag, checksum, data });
  }

  const dirBytes = 12 + numTables * SFNT_ENTRY_BYTES;
  const total = tables.reduce((n, t) => n + ((t.data.length + 3) & ~3), dirBytes);
  const out = new Uint8Array(total);
  const o = new DataView(out.buffer);
  const log2 = Math.floor(Math.log2(numTables));
  o.setUint32(0, flavor);
  o.setUint16(4, numTables);
  o.setUint16(6, 2 ** log2 * 16); // searchRange
  o.setUint16(8, log2); // entrySelector
  o.setUint16(10, numTables * 16 - 2 ** log2 * 16); // rangeShift
  let offset = dirBytes;
  tables.forEach((t, i) => {
    const at = 12 + i * SFNT_ENTRY_BYTES;
    o.setUint32(at, t.tag);
    o.setUint32(at + 4, t.checksum);
    o.setUint32(at + 8, offset);
    o.setUint32(at + 12, t.data.length);
    out.set(t.data, offset);
    offset += (t.data.length + 3) & ~3; // tables start on 4-byte boundaries; padding stays zero
  });
  return out;
}
