/**
 * Where a training run keeps its files: a small key-value interface over "/"-separated names
 * relative to the run's root ("config.json", "checkpoints/epoch-0010.json"), so that the loop's
 * checkpoints, logs and plots work the same on a file system (FileStore), in memory
 * (MemoryStore, for tests) and, later, in browser storage.
 *
 * Every method is asynchronous because browser storage is; the Node store completes at once.
 */
import { parseJsonChecked } from "../../io/json.js";

/** A run's storage. Names use "/" as separator and never start with "/" or contain "..". */
export interface RunStore {
  /** Where `name` lives, for messages: a file path, or `memory:<name>`. */
  locate(name: string): string;
  /** The bytes of `name`; throws an error naming the location when it is missing. */
  read(name: string): Promise<Uint8Array>;
  /** Replaces `name` with `data` (strings are written as UTF-8) atomically: a reader sees the old or the new content, never half. */
  write(name: string, data: Uint8Array | string): Promise<void>;
  /** Whether `name` holds a file. */
  exists(name: string): Promise<boolean>;
  /** File names directly inside folder `dir` ("" for the root), sorted, without interrupted temporary files. */
  list(dir?: string): Promise<string[]>;
  /** Deletes `name`; nothing happens when it does not exist. */
  remove(name: string): Promise<void>;
  /** Takes the store for this process until the returned function is called (optional: a file-system run folder has it). */
  lock?(): Promise<() => Promise<void>>;
}

/** Reads `name` as UTF-8 text. */
export async function readText(store: RunStore, name: string): Promise<string> {
  return new TextDecoder().decode(await store.read(name));
}

/** Reads `name` as JSON; a parse error names the location. */
export async function readJson(store: RunStore, name: string): Promise<unknown> {
  const bytes = await store.read(name);
  try {
    return parseJsonChecked(bytes, store.locate(name));
  } catch (err) {
    const why = err instanceof Error && /levels deep/.test(err.message) ? "nests too deeply" : "is not valid JSON (truncated or corrupt file)";
    throw new Error(`${store.locate(name)} ${why}`, { cause: err });
  }
}

/** Checks a store name: relative, "/"-separated, no empty, "." or ".." parts. */
export function checkName(where: string, name: string, allowRoot = false): void {
  if (allowRoot && name === "") return;
  if (typeof name !== "string" || name === "" || name.startsWith("/") || name.split("/").some((p) => p === "" || p === "." || p === "..")) {
    throw new Error(`${where}: name must be a relative "/"-separated path without "." or ".." parts, got ${JSON.stringify(name)}`);
  }
}
