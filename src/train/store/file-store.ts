/**
 * A RunStore on the file system, rooted at a folder. Writes go through `writeFileAtomicSync`
 * (temporary file, fsync, rename), so a crash or a SIGKILL never leaves half a file; `list`
 * hides the temporary files such an interruption leaves behind, and `removeTempFiles` deletes them.
 */
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { readFileChecked, writeFileAtomicSync } from "../../io/atomic.js";
import { checkName, type RunStore } from "./store.js";

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

  async read(name: string): Promise<Uint8Array> {
    checkName("FileStore.read", name);
    return readFileChecked(this.locate(name), "run file");
  }

  async write(name: string, data: Uint8Array | string): Promise<void> {
    checkName("FileStore.write", name);
    const path = this.locate(name);
    mkdirSync(dirname(path), { recursive: true });
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
    if (existsSync(path)) unlinkSync(path);
  }

  /** Deletes temporary files that interrupted writes left in folder `dir` ("" for the root). */
  removeTempFiles(dir = ""): void {
    const path = this.locate(dir);
    if (!existsSync(path)) return;
    for (const name of readdirSync(path)) if (TEMP_FILE.test(name)) unlinkSync(join(path, name));
  }
}
