/**
 * Reading IDX files from disk in Node: plain or gzipped (by the gzip magic, not the name), with
 * the decompressed size bounded so a crafted .gz cannot fill the memory.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parseIdx, type IdxArray } from "./parse.js";

/** Largest decompressed IDX file accepted: the 60,000 Fashion-MNIST training images are 47 MB. */
export const IDX_MAX_BYTES = 256 * 1024 * 1024;

/** Reads and parses the IDX file at `path` (gzipped or not). */
export function readIdxFile(path: string, maxBytes = IDX_MAX_BYTES): IdxArray {
  if (!existsSync(path)) throw new Error(`readIdxFile: ${path} does not exist`);
  const size = statSync(path).size;
  if (size > maxBytes) throw new Error(`readIdxFile: ${path} is ${size} bytes, more than the ${maxBytes} accepted`);
  let bytes: Uint8Array = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new Error(`readIdxFile: ${path} could not be decompressed (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
  }
  return parseIdx(bytes, path);
}
