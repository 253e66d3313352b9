/**
 * A RunStore on the file system, rooted at a folder. Writes go through `writeFileAtomicSync`
 * (temporary file, fsync, rename), so a crash or a SIGKILL never leaves half a file; `list`
 * hides the temporary files such an interruption leaves behind, and `removeTempFiles` deletes them.
 *
 * Every read, write, listing and deletion stays inside the run folder: a file or folder inside it
 * that is a symbolic link to somewhere else is refused, so pruning never deletes, and loading never
 * reads, files outside the run. `lock()` keeps a second process off the folder.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join, relative, isAbsolute } from "node:path";
import { readFileChecked, writeFileAtomicSync } from "../../io/atomic.js";
import { checkName, type RunStore } from "./store.js";
import { isRecord } from "../json-check.js";

/** The lock file's name inside the run folder. */
export const LOCK_FILE = ".lock";

interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

function readLock(path: string): LockHolder | null {
  try {
    const text = readFileSync(path, "utf8").slice(0, 4096);
    const j: unknown = JSON.parse(text);
    if (!isRecord(j)) return null;
    const { pid, host, since } = j;
    if (typeof pid !== "number" || !Number.isInteger(pid) || typeof host !== "string" || typeof since !== "string") return null;
    return { pid, host: host.slice(0, 100), since: since.slice(0, 40) };
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Temporary files left by an interrupted atomic write (see io/atomic.ts). */
export const TEMP_FILE = /\.tmp-\d+-[0-9a-f]+$/;

export class FileStore implements RunStore {
  /** @param root the run folder; created on the first write. */
  constructor(readonly root: string) {
    if (typeof root !== "string" || root === "") throw new Error(`FileStore: root must be a folder path, got ${JSON.stringify(root)}`);
  }

  locate(name: string): string {
    return name === "" ? this.root : join(this.root, ...name.split("/"));
  }

  /**
   * Throws unless `path` (a file when `file`, else a folder), after following symbolic links, lies
   * inside the run folder. Paths that do not exist yet are checked through their nearest existing
   * parent.
   */
  private contain(where: string, path: string, file: boolean): void {
    let probe = path;
    while (!existsSync(probe)) {
      const up = dirname(probe);
      if (up === probe) return;
      probe = up;
    }
    const root = realpathSync(this.root);
    const real = realpathSync(file && probe === path ? path : probe);
    const rel = relative(root, real);
    if (rel.startsWith("..") || isAbsolute(rel)) {
      throw new Error(`${where}: ${path} leads outside the run folder ${this.root} (to ${real}); a run folder must not link elsewhere`);
    }
  }

  async read(name: string): Promise<Uint8Array> {
    checkName("FileStore.read", name);
    const path = this.locate(name);
    if (existsSync(this.root)) this.contain("FileStore.read", path, true);
    return readFileChecked(path, "run file");
  }

  async write(name: string, data: Uint8Array | string): Promise<void> {
    checkName("FileStore.write", name);
    const path = this.locate(name);
    mkdirSync(dirname(path), { recursive: true });
    this.contain("FileStore.write", dirname(path), false);
    writeFileAtomicSync(path, data);
  }

  async exists(name: string): Promise<boolean> {
    const path = this.locate(name);
    return existsSync(path) && statSync(path).isFile();
  }

  async list(dir = ""): Promise<string[]> {
    checkName("FileStore.list", dir, true);
    const path = this.locate(dir);
    if (!existsSync(path)) return [];
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isFile() && !TEMP_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  async remove(name: string): Promise<void> {
    checkName("FileStore.remove", name);
    const path = this.locate(name);
    if (!existsSync(path)) return;
    // The folder holding the file must be the run's own: unlinking through a linked folder would
    // delete another folder's file.
    this.contain("FileStore.remove", dirname(path), false);
    unlinkSync(path);
  }

  /**
   * Takes the run folder for this process: writes `.lock` (process id, host, time) or throws naming
   * the process that holds it. A lock whose process is gone (on this host) is stale and is taken
   * over. Resolves to the function that releases it.
   */
  async lock(): Promise<() => Promise<void>> {
    mkdirSync(this.root, { recursive: true });
    const path = join(this.root, LOCK_FILE);
    const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, "wx");
        try {
          writeSync(fd, mine);
        } finally {
          closeSync(fd);
        }
        return async () => {
          try {
            if (readFileSync(path, "utf8") === mine) unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const holder = readLock(path);
        if (holder !== null && holder.host === hostname() && !processAlive(holder.pid)) {
          unlinkSync(path);
          continue;
        }
        const who = holder === null ? "another process" : `process ${holder.pid} on ${holder.host} (since ${holder.since})`;
        throw new Error(`the run folder ${this.root} is in use by ${who}; wait for it to finish, or delete ${path} if that process is gone`);
      }
    }
    throw new Error(`the run folder ${this.root}: could not take ${path}`);
  }

  /** Deletes temporary files that interrupted writes left in folder `dir` ("" for the root). */
  removeTempFiles(dir = ""): void {
    const path = this.locate(dir);
    if (!existsSync(path)) return;
    for (const name of readdirSync(path)) if (TEMP_FILE.test(name)) unlinkSync(join(path, name));
  }
}
