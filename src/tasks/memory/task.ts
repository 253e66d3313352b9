/** The long-range memory task as a `TaskDefinition`: `recurrent train|evaluate memory`. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readJsonChecked } from "../../io/read-json.js";
import { evaluate as evaluateModel } from "../../train/api.js";
import { readCheckpoint } from "../../train/checkpoint.js";
import { FileStore } from "../../train/store/file-store.js";
import { latestCheckpointRef } from "../../train/store/checkpoints.js";
import type { TensorBatch } from "../../data/collate.js";
import { tensorLoader } from "../../data/loader.js";
import { mseLoss } from "../../losses/mse.js";
import type { TaskDefinition } from "../task.js";
import { resolveMemoryConfig, type MemoryConfig } from "./config.js";
import { addingProblem, TRIVIAL_MSE } from "./data.js";
import { MEMORY_SCHEMA } from "./schema.js";
import { buildMemoryModel, memoryRuns, trainMemory, type MemoryResults } from "./train.js";

/** The run's config.json, checked. */
export function readMemoryConfig(runDir: string): MemoryConfig {
  const path = join(runDir, "config.json");
  if (!existsSync(path)) throw new Error(`${runDir} is not a memory run folder: it has no config.json`);
  const json = readJsonChecked(path, "run config");
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${path}: config must be an object`);
  return resolveMemoryConfig({ ...json }, path);
}

/** `{ "lstm.testMse": ..., "trivialMse": 0.1667 }` from the results. */
export function summarizeMemory(results: MemoryResults): Record<string, number> {
  const out: Record<string, number> = { length: results.length, trivialMse: results.trivialMse };
  for (const r of results.runs) {
    out[`${r.name}.testMse`] = r.finalTestMse;
    if (r.divergedAt !== null) out[`${r.name}.divergedAtEpoch`] = r.divergedAt;
  }
  return out;
}

export const MEMORY_TASK: TaskDefinition = {
  schema: MEMORY_SCHEMA,
  async train(values, ctx) {
    const config = resolveMemoryConfig(values);
    const r = await trainMemory({ config, runDir: ctx.runDir, resume: ctx.resume, progress: ctx.progress, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
    return {
      runDir: ctx.runDir,
      aborted: r.aborted,
      summary: r.results === null ? {} : { ...summarizeMemory(r.results), seconds: r.seconds },
      files: {
        results: join(ctx.runDir, "results.json"),
        loss: join(ctx.runDir, "loss.svg"),
        gradnorm: join(ctx.runDir, "gradnorm.svg"),
        ...(config.skipExploding ? {} : { exploding: join(ctx.runDir, "exploding.svg") }),
      },
    };
  },
  /** Test MSE of each run's final (else latest) checkpoint on freshly generated test sequences of the run's seed. */
  async evaluate(runDir) {
    const config = readMemoryConfig(runDir);
    const test = addingProblem(config.testSize, config.length, config.seed + 2);
    const out: Record<string, number> = { length: config.length, trivialMse: TRIVIAL_MSE };
    for (const spec of memoryRuns(config)) {
      const dir = join(runDir, spec.name);
      const final = join(dir, "final.json");
      const ref = existsSync(final) ? final : await latestCheckpointRef(new FileStore(dir)).then((r) => (r === null ? null : join(dir, r.name)));
      if (ref === null) continue;
      const model = buildMemoryModel(spec, config);
      model.loadStateDict(readCheckpoint(ref).params);
      const scores = await evaluateModel(model, tensorLoader(test, { batchSize: 250 }), { loss: (o, b: TensorBatch) => mseLoss(o, b.y ?? o) });
      out[`${spec.name}.testMse`] = scores["loss"] ?? NaN;
    }
    return out;
  },
  progress: { columns: [{ key: "loss", label: "mse", digits: 4 }, { key: "val_loss", label: "test", digits: 4 }], rate: { unit: "sequences", label: "seq" } },
  readConfig: (runDir) => {
    const c = readMemoryConfig(runDir);
    return { ...c, cells: c.cells.join(",") };
  },
  runName: (config) => `T${String(config["length"] ?? 50)}`,
};
