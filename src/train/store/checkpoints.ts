/**
 * Checkpoints inside a run store: periodic ones in a folder (`checkpoints/epoch-0010.json` and
 * `.safetensors`), and `final.json`/`final.safetensors` at the root. Finding the latest, and
 * pruning all but the newest few, work on any RunStore.
 */
import { readCheckpointFrom, type LoadedCheckpoint } from "../checkpoint-format.js";
import { readJson, type RunStore } from "./store.js";

/** A checkpoint found in a store: the epoch it was taken after and its metadata's name. */
export interface StoredCheckpointRef {
  epoch: number;
  /** Name of the metadata file ("checkpoints/epoch-0010.json", "final.json"). */
  name: string;
  kind: "final" | "periodic";
}

const PERIODIC = /^epoch-(\d+)\.json$/;
const PERIODIC_WEIGHTS = /^epoch-(\d+)\.safetensors$/;

/** File stem of the periodic checkpoint after `epoch`: "epoch-0010". */
export function periodicStem(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, "0")}`;
}

/** Periodic checkpoints (with metadata) in folder `dir`, oldest first. */
export async function listCheckpoints(store: RunStore, dir = "checkpoints"): Promise<StoredCheckpointRef[]> {
  const out: StoredCheckpointRef[] = [];
  for (const name of await store.list(dir)) {
    const m = PERIODIC.exec(name);
    if (m !== null) out.push({ epoch: Number(m[1]), name: `${dir}/${name}`, kind: "periodic" });
  }
  return out.sort((a, b) => a.epoch - b.epoch);
}

/** The epoch recorded in a checkpoint's metadata. */
async function recordedEpoch(store: RunStore, name: string): Promise<number> {
  const where = `checkpoint ${store.locate(name)}`;
  let json: unknown;
  try {
    json = await readJson(store, name);
  } catch {
    throw new Error(`${where}: metadata is not valid JSON (truncated or corrupt file)`);
  }
  const epoch = typeof json === "object" && json !== null && "epoch" in json ? json.epoch : undefined;
  if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 0) {
    throw new Error(`${where}: epoch must be a non-negative integer, got ${String(epoch)}`);
  }
  return epoch;
}

/**
 * The checkpoint to continue from: the highest epoch among the periodic ones and final.json
 * (on a tie the final one, the same state written last). Null when there is none.
 */
export async function latestCheckpointRef(store: RunStore, dir = "checkpoints"): Promise<StoredCheckpointRef | null> {
  const all = await listCheckpoints(store, dir);
  if (await store.exists("final.json")) all.push({ epoch: await recordedEpoch(store, "final.json"), name: "final.json", kind: "final" });
  if (all.length === 0) return null;
  const best = all.reduce((b, c) => (c.epoch > b.epoch || (c.epoch === b.epoch && c.kind === "final") ? c : b));
  // A periodic checkpoint's name says its epoch; the metadata records it. They must agree, or a
  // renamed or copied file would be taken for the newest state.
  if (best.kind === "periodic") {
    const recorded = await recordedEpoch(store, best.name);
    if (recorded !== best.epoch) {
      throw new Error(`checkpoint ${store.locate(best.name)} records epoch ${recorded} but its name says epoch ${best.epoch}; it was renamed or copied from elsewhere`);
    }
  }
  return best;
}

/** Reads the latest checkpoint (see latestCheckpointRef), checked against its weights; null when there is none. */
export async function latestCheckpoint(store: RunStore, dir = "checkpoints"): Promise<LoadedCheckpoint | null> {
  const ref = await latestCheckpointRef(store, dir);
  return ref === null ? null : readCheckpointFrom(store, ref.name);
}

/**
 * Deletes all but the newest `keep` periodic checkpoints in `dir`, metadata first so that a
 * half-deleted checkpoint is never listed, and weights files without metadata (left by a crash
 * between the two writes).
 */
export async function pruneCheckpoints(store: RunStore, keep: number, dir = "checkpoints"): Promise<void> {
  const list = await listCheckpoints(store, dir);
  const kept = new Set(list.slice(Math.max(0, list.length - keep)).map((c) => c.epoch));
  for (const c of list) {
    if (kept.has(c.epoch)) continue;
    await store.remove(c.name);
    await store.remove(`${dir}/${periodicStem(c.epoch)}.safetensors`);
  }
  for (const name of await store.list(dir)) {
    const m = PERIODIC_WEIGHTS.exec(name);
    if (m !== null && !kept.has(Number(m[1]))) await store.remove(`${dir}/${name}`);
  }
}
