/**
 * Crash-safe file writes and readable read errors (Node only).
 *
 * A checkpoint written in place is destroyed if the process dies halfway. Here the bytes go to a
 * temporary file beside the target, are flushed to disk, and only then renamed over the target:
 * rename within one directory is atomic, so a reader sees the old file or the new one, never a
 * mix. The directory is flushed too, so the rename itself survives a power cut.
 */

import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
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
 * Reads a whole file, turning the usual failures into one line that names what the file was for:
 * `cannot read checkpoint runs/x/model.safetensors: no such file`.
 */
export function readFileChecked(path: string, what: string): Uint8Array {
  try {
    const buf = readFileSync(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${reason(err, path)}`, { cause: err });
  }
}
