/**
 * A task's run folder on disk, as a FileStore: a new run needs an empty (or missing) folder and
 * writes config.json; a resumed run reads its latest checkpoint, whose config must agree with
 * the one given except in the options the schema marks resumable.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { checkpointPaths, type LoadedCheckpoint } from "../train/checkpoint.js";
import { readJsonChecked } from "../io/read-json.js";
import { latestCheckpoint } from "../train/store/checkpoints.js";
import { FileStore } from "../train/store/file-store.js";
import { checkConfig, configDifference, type TaskSchema } from "./schema.js";
import type { TaskConfig } from "./task.js";

/** Opens `runDir` for training: see the module comment. Returns the store and the checkpoint to resume from (null: start). */
export async function openRunFolder(
  schema: TaskSchema,
  runDir: string,
  config: TaskConfig,
  resume: boolean,
): Promise<{ store: FileStore; resumeFrom: LoadedCheckpoint | null }> {
  const where = `${schema.task} run ${runDir}`;
  if (existsSync(runDir) && !statSync(runDir).isDirectory()) throw new Error(`${where}: is a file, not a folder`);
  if (!resume) {
    if (existsSync(runDir) && readdirSync(runDir).length > 0) throw new Error(`${where}: the folder already holds files (an earlier run?); resume it or choose another folder`);
    mkdirSync(runDir, { recursive: true });
    const store = new FileStore(runDir);
    await store.write("config.json", `${JSON.stringify(config, null, 2)}\n`);
    return { store, resumeFrom: null };
  }
  if (!existsSync(`${runDir}/config.json`)) throw new Error(`${where}: not a run folder (no config.json)`);
  const saved = readRunConfig(schema, runDir);
  const changed = configDifference(schema, saved, config);
  if (changed !== null) throw new Error(`${where}: the run was started with another config (${changed}); only the resumable options may change`);
  const store = new FileStore(runDir);
  const resumeFrom = await latestCheckpoint(store);
  if (resumeFrom !== null) {
    const diff = configDifference(schema, resumeFrom.meta.config, config);
    if (diff !== null) throw new Error(`${where}: checkpoint ${resumeFrom.path} was written with another config (${diff})`);
  }
  await store.write("config.json", `${JSON.stringify(config, null, 2)}\n`);
  return { store, resumeFrom };
}

/** The config.json of a run folder, checked against the schema. */
export function readRunConfig(schema: TaskSchema, runDir: string): TaskConfig {
  const path = `${runDir}/config.json`;
  if (!existsSync(path)) throw new Error(`${schema.task} run ${runDir}: not a run folder (no config.json)`);
  return checkConfig(schema, readJsonChecked(path, "run config"), path);
}

/** The metadata path of the checkpoint to score: final.json, else the newest periodic one. */
export async function checkpointToScore(runDir: string): Promise<LoadedCheckpoint> {
  const store = new FileStore(runDir);
  const ckpt = await latestCheckpoint(store);
  if (ckpt === null) throw new Error(`run ${runDir} has no checkpoint yet (neither ${checkpointPaths(runDir, "final").meta} nor checkpoints/epoch-*.json)`);
  return ckpt;
}
