/**
 * The char LM's run folder: its paths, creating a new one or opening an existing one, and
 * finding its latest checkpoint without the async store (for generation). Training writes into
 * it through a FileStore rooted here (metrics, plots and checkpoints by the loop's callbacks,
 * config and vocabulary by the task). It holds:
 *
 *   config.json                  the run's configuration
 *   vocab.json                   the vocabulary (Vocab.toJSON)
 *   metrics.jsonl                one line of EpochMetrics per epoch
 *   perplexity.svg, .png         perplexity per epoch
 *   checkpoints/epoch-0010.json  periodic checkpoints (metadata + .safetensors), the last few kept
 *   final.json, final.safetensors  the checkpoint at the end of training
 *
 * A new run refuses a folder that already holds files, so an earlier run is never overwritten;
 * continuing one goes through `RunDir.open` and the latest checkpoint.
 */
import { readJsonChecked } from "../../io/read-json.js";
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { checkpointPaths } from "../../train/checkpoint.js";
import { TEMP_FILE as TEMP } from "../../train/store/file-store.js";

/** A checkpoint found in a run folder: the epoch it was taken after and its metadata path. */
export interface CheckpointRef {
  epoch: number;
  path: string;
  /** "final" for final.json, "periodic" for checkpoints/epoch-XXXX.json. */
  kind: "final" | "periodic";
}

const PERIODIC = /^epoch-(\d+)\.json$/;

export class RunDir {
  readonly configPath: string;
  readonly vocabPath: string;
  readonly metricsPath: string;
  readonly plotSvgPath: string;
  readonly plotPngPath: string;
  readonly checkpointsDir: string;
  readonly finalPath: string;

  private constructor(readonly path: string) {
    this.configPath = join(path, "config.json");
    this.vocabPath = join(path, "vocab.json");
    this.metricsPath = join(path, "metrics.jsonl");
    this.plotSvgPath = join(path, "perplexity.svg");
    this.plotPngPath = join(path, "perplexity.png");
    this.checkpointsDir = join(path, "checkpoints");
    this.finalPath = checkpointPaths(path, "final").meta;
  }

  /**
   * Makes a folder for a new run. It may exist if it is empty; a folder holding anything is
   * refused, so that a finished or interrupted run is never overwritten by accident.
   */
  static create(path: string): RunDir {
    if (existsSync(path)) {
      if (!statSync(path).isDirectory()) throw new Error(`run folder ${path} is a file, not a folder`);
      if (readdirSync(path).length > 0) {
        throw new Error(`run folder ${path} already holds files (an earlier run?); resume it or choose another folder`);
      }
    }
    const dir = new RunDir(path);
    mkdirSync(dir.checkpointsDir, { recursive: true });
    return dir;
  }

  /** Opens the folder of an existing run; it must hold a config.json. */
  static open(path: string): RunDir {
    if (!existsSync(path)) throw new Error(`run folder ${path} does not exist`);
    if (!statSync(path).isDirectory()) throw new Error(`run folder ${path} is a file, not a folder`);
    const dir = new RunDir(path);
    if (!existsSync(dir.configPath)) throw new Error(`${path} is not a run folder: it has no config.json`);
    mkdirSync(dir.checkpointsDir, { recursive: true });
    return dir;
  }

  /** File stem of the periodic checkpoint after `epoch`: "epoch-0010". */
  static periodicStem(epoch: number): string {
    return `epoch-${String(epoch).padStart(4, "0")}`;
  }

  /** Periodic checkpoints with metadata on disk, oldest first. */
  periodic(): CheckpointRef[] {
    const out: CheckpointRef[] = [];
    for (const name of readdirSync(this.checkpointsDir)) {
      const m = PERIODIC.exec(name);
      if (m !== null) out.push({ epoch: Number(m[1]), path: join(this.checkpointsDir, name), kind: "periodic" });
    }
    return out.sort((a, b) => a.epoch - b.epoch);
  }

  /**
   * The checkpoint to continue from: the one with the highest epoch among the periodic ones
   * and final.json (final's epoch is read from its metadata). Null when there is none.
   */
  latest(): CheckpointRef | null {
    const all = this.periodic();
    if (existsSync(this.finalPath)) all.push({ epoch: this.finalEpoch(), path: this.finalPath, kind: "final" });
    if (all.length === 0) return null;
    // On a tie the final checkpoint wins: it is the same state, written last.
    return all.reduce((best, c) => (c.epoch > best.epoch || (c.epoch === best.epoch && c.kind === "final") ? c : best));
  }

  /** Deletes temporary files that interrupted atomic writes left in the folder and in checkpoints/. */
  removeTempFiles(): void {
    for (const dir of [this.path, this.checkpointsDir]) {
      for (const name of readdirSync(dir)) if (TEMP.test(name)) unlinkSync(join(dir, name));
    }
  }

  private finalEpoch(): number {
    let json: unknown;
    try {
      json = readJsonChecked(this.finalPath, "checkpoint metadata");
    } catch {
      throw new Error(`checkpoint ${this.finalPath}: metadata is not valid JSON (truncated or corrupt file)`);
    }
    const epoch = typeof json === "object" && json !== null && "epoch" in json ? json.epoch : undefined;
    if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 0) {
      throw new Error(`checkpoint ${this.finalPath}: epoch must be a non-negative integer, got ${String(epoch)}`);
    }
    return epoch;
  }
}
