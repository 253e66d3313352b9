/**
 * Crash-safe file writes and bounded, readable file reads (Node only).
 *
 * A checkpoint written in place is destroyed if the process dies halfway. Here the bytes go to a
 * temporary file beside the target, are flushed to disk, and only then renamed over the target:
 * rename within one directory is atomic, so a reader sees the old file or the new one, never a
 * mix. The directory is flushed too, so the rename itself survives a power cut.
 */

import { randomBytes } from "node:crypto";
import { closeSync, constants as fsConstants, fstatSync, fsyncSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";

/** Directory fsync is refused on some platforms and file systems (Windows, some network mounts); durability there is the OS's business. */
const DIR_SYNC_UNSUPPORTED = new Set(["EISDIR", "EPERM", "EINVAL", "ENOTSUP", "EBADF"]);

function errorCode(err: unknown): string | undefined {
  return err instanceof Error && "code" in err && typeof err.code === "string" ? err.code : undefined;
}

function reason(err: unknown, path: string): string {
  switch (errorCode(err)) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return `a parent of ${path} is not a directory`;
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on device";
    case "EROFS":
      return "read-only file system";
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return message.split("\n")[0] ?? message;
    }
  }
}

function writeError(path: string, err: unknown): Error {
  const code = errorCode(err);
  // ENOENT while creating the temp file means the target's directory is missing, not the target.
  const why = code === "ENOENT" ? `no such directory ${dirname(path)}` : reason(err, path);
  return new Error(`writeFileAtomic: cannot write ${path}: ${why}`, { cause: err });
}

/** `path.tmp-<pid>-<random>`: unique across processes and concurrent writes from one process. */
function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
}

function dirSyncError(path: string, err: unknown): Error {
  return new Error(`writeFileAtomic: wrote ${path} but cannot flush its directory: ${reason(err, dirname(path))}`, { cause: err });
}

/** Flushes the directory entry that the rename changed. */
function syncDirectorySync(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), "r");
    fsyncSync(fd);
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has(errorCode(err) ?? "")) throw dirSyncError(path, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(dirname(path), "r").catch((err: unknown) => {
    if (DIR_SYNC_UNSUPPORTED.has(errorCode(err) ?? "")) return undefined;
    throw dirSyncError(path, err);
  });
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has(errorCode(err) ?? "")) throw dirSyncError(path, err);
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `data` (a string is written as UTF-8) so that the file is never seen
 * half-written. On failure the old file, if any, is left untouched and the temp file is removed.
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const tmp = tempPathFor(path);
  let created = false;
  try {
    const fd = openSync(tmp, "wx");
    created = true;
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    created = false;
  } catch (err) {
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // The write error is the one worth reporting.
      }
    }
    throw writeError(path, err);
  }
  syncDirectorySync(path);
}

/** Async twin of {@link writeFileAtomicSync}. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempPathFor(path);
  let created = false;
  try {
    const handle = await open(tmp, "wx");
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    created = false;
  } catch (err) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw writeError(path, err);
  }
  await syncDirectory(path);
}

/**
 * The default most bytes `readFileChecked` reads: 1 GiB, the size of the largest tensor a
 * creation function allows (2^28 float32 values). Pass `maxBytes` for a tighter bound.
 */
export const DEFAULT_MAX_READ_BYTES = 2 ** 30;

export interface ReadOptions {
  /** The most bytes to read; a larger file is refused before any byte is read. Default DEFAULT_MAX_READ_BYTES (1 GiB). */
  maxBytes?: number;
}

/** What a non-regular file is, for the error that refuses it. */
function notRegular(st: Stats): string {
  if (st.isDirectory()) return "is a directory";
  const kind = st.isFIFO() ? "a FIFO (named pipe)" : st.isCharacterDevice() ? "a character device" : st.isBlockDevice() ? "a block device" : st.isSocket() ? "a socket" : "a special file";
  return `is ${kind}, not a regular file`;
}

/** Paths come from users and config files: quoted whole up to a sane length. */
export function shownPath(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}...` : path;
}

/**
 * Reads a whole file, turning the usual failures into one line that names what the file was for:
 * `cannot read checkpoint runs/x/model.safetensors: no such file`.
 *
 * Only a regular file is read (after following symlinks): a directory, a FIFO, a device such as
 * `/dev/zero` or a socket is refused at once, without blocking on it. A file larger than
 * `maxBytes` (default 1 GiB) is refused before its bytes are read; the error names the path, the
 * size and the limit. The file is opened once and checked through that handle, so it cannot be
 * swapped for a FIFO between the check and the read, and a file that grows past the limit while
 * it is read is refused too.
 */
export function readFileChecked(path: string, what: string, options: ReadOptions = {}): Uint8Array {
  if (typeof path !== "string" || path.length === 0) throw new TypeError(`cannot read ${what}: the path must be a non-empty string, got ${typeof path === "string" ? '""' : typeof path}`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`readFileChecked: maxBytes must be a non-negative integer, got ${String(maxBytes).slice(0, 40)}`);
  const shown = shownPath(path);
  const fail = (why: string, cause?: unknown): never => {
    throw new Error(`cannot read ${what} ${shown}: ${why}`, cause === undefined ? undefined : { cause });
  };
  let fd: number;
  try {
    // stat first: it neither opens nor blocks, so a FIFO is refused before any open could wait.
    const st = statSync(path);
    if (!st.isFile()) fail(notRegular(st));
    if (st.size > maxBytes) fail(`the file is ${st.size} bytes, more than the limit of ${maxBytes} bytes`);
    // O_NONBLOCK: should the path turn into a FIFO after the stat, opening it still returns at once.
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("cannot read ")) throw err;
    return fail(reason(err, path), err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) fail(notRegular(st));
    if (st.size > maxBytes) fail(`the file is ${st.size} bytes, more than the limit of ${maxBytes} bytes`);
    // One byte more than the reported size, so that a file which grew is noticed; files that
    // report size 0 but have content (/proc) grow the buffer, still within maxBytes + 1.
    let buf = new Uint8Array(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (buf.length > maxBytes) fail(`the file grew past the limit of ${maxBytes} bytes while it was read`);
        const bigger = new Uint8Array(Math.min(buf.length * 2, maxBytes + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) fail(`the file grew past the limit of ${maxBytes} bytes while it was read`);
    return buf.subarray(0, length);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("cannot read ")) throw err;
    return fail(reason(err, path), err);
  } finally {
    closeSync(fd);
  }
}

