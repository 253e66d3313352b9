/** A RunStore held in memory: for tests, and for runs that need no files. */
import { checkName, type RunStore } from "./store.js";

export class MemoryStore implements RunStore {
  private readonly files = new Map<string, Uint8Array>();

  locate(name: string): string {
    return `memory:${name}`;
  }

  async read(name: string): Promise<Uint8Array> {
    checkName("MemoryStore.read", name);
    const data = this.files.get(name);
    if (data === undefined) throw new Error(`cannot read ${this.locate(name)}: no such file`);
    return data.slice();
  }

  async write(name: string, data: Uint8Array | string): Promise<void> {
    checkName("MemoryStore.write", name);
    // A copy, so that a caller reusing its buffer cannot change what was stored.
    this.files.set(name, typeof data === "string" ? new TextEncoder().encode(data) : data.slice());
  }

  async exists(name: string): Promise<boolean> {
    return this.files.has(name);
  }

  async list(dir = ""): Promise<string[]> {
    checkName("MemoryStore.list", dir, true);
    const prefix = dir === "" ? "" : `${dir}/`;
    const out: string[] = [];
    for (const name of this.files.keys()) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      if (!rest.includes("/")) out.push(rest);
    }
    return out.sort();
  }

  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }

  /** Every stored name, sorted (for tests). */
  names(): string[] {
    return [...this.files.keys()].sort();
  }
}
