/**
 * Runs kept in the browser: a RunStore over IndexedDB, so the library's Checkpoint callback and
 * checkpoint reader work on it as they do on a run folder. Each file is one record keyed
 * "<runId>/<name>"; a put is one transaction, so a write is atomic (a reader sees the old or the
 * new bytes). IndexedDB rather than OPFS: it works in every browser, in workers and on the
 * page, without a synchronous-access handle.
 */
import type { RunStore } from "recurrent";

const DB_NAME = "recurrent-playground";
const FILES = "files";

let opened: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(FILES);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`playground storage: cannot open IndexedDB (${req.error?.message ?? "unknown error"})`));
  });
  return opened;
}

async function request<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(FILES, mode);
    const req = run(tx.objectStore(FILES));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(new Error(`playground storage: ${tx.error?.message ?? "transaction failed"}`));
    tx.onabort = () => reject(new Error(`playground storage: ${tx.error?.message ?? "transaction aborted"} (storage full?)`));
  });
}

/** Keys from `prefix` up to the next prefix ("\uffff" sorts after every character of a name). */
function under(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

function checkName(where: string, name: string): void {
  if (name === "" || name.startsWith("/") || name.split("/").some((p) => p === "" || p === "." || p === "..")) {
    throw new Error(`${where}: name must be a relative "/"-separated path without "." or ".." parts, got ${JSON.stringify(name)}`);
  }
}

export class IdbStore implements RunStore {
  constructor(readonly runId: string) {
    checkName("IdbStore", runId);
    if (runId.includes("/")) throw new Error(`IdbStore: run id must not contain "/", got ${JSON.stringify(runId)}`);
  }

  locate(name: string): string {
    return `browser:${this.runId}/${name}`;
  }

  async read(name: string): Promise<Uint8Array> {
    checkName("IdbStore.read", name);
    const v: unknown = await request("readonly", (s) => s.get(`${this.runId}/${name}`));
    if (!(v instanceof Uint8Array)) throw new Error(`cannot read ${this.locate(name)}: no such file`);
    return v;
  }

  async write(name: string, data: Uint8Array | string): Promise<void> {
    checkName("IdbStore.write", name);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data.slice();
    await request("readwrite", (s) => s.put(bytes, `${this.runId}/${name}`));
  }

  async exists(name: string): Promise<boolean> {
    const n = await request("readonly", (s) => s.count(`${this.runId}/${name}`));
    return n > 0;
  }

  async list(dir = ""): Promise<string[]> {
    const prefix = dir === "" ? `${this.runId}/` : `${this.runId}/${dir}/`;
    const keys = await request("readonly", (s) => s.getAllKeys(under(prefix)));
    return keys
      .map((k) => String(k).slice(prefix.length))
      .filter((rest) => rest !== "" && !rest.includes("/"))
      .sort();
  }

  /** Every file name of the run, folders included ("checkpoints/epoch-0010.json"), sorted. */
  async names(): Promise<string[]> {
    const prefix = `${this.runId}/`;
    const keys = await request("readonly", (s) => s.getAllKeys(under(prefix)));
    return keys.map((k) => String(k).slice(prefix.length)).sort();
  }

  async remove(name: string): Promise<void> {
    await request("readwrite", (s) => s.delete(`${this.runId}/${name}`));
  }
}

/** Ids of the stored runs (those with a config.json), newest first (ids start with their ISO time). */
export async function storedRuns(): Promise<string[]> {
  const keys = await request("readonly", (s) => s.getAllKeys());
  const ids = keys.map(String).filter((k) => k.endsWith("/config.json") && k.split("/").length === 2).map((k) => k.split("/")[0]!);
  return ids.sort().reverse();
}

/** A fresh run id: "run-" and the time, so ids sort by age. */
export function newRunId(): string {
  return `run-${new Date().toISOString().replace(/[:.]/g, "-")}`;
}
