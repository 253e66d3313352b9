/**
 * Checkpoints during training, into the run's store:
 *
 * - periodic: after every `every`-th epoch (not the last one, which the final checkpoint
 *   covers), as `<dir>/epoch-XXXX.json` + `.safetensors`; only the newest `keep` are kept;
 * - best only: with `bestOnly` and a `monitor`ed log value, a periodic checkpoint is written only
 *   when that value improved on the best so far (still every `every` epochs at most);
 * - final: when the run ends (all epochs, or an early stop; not an abort), as `final.json` +
 *   `final.safetensors` at the root.
 *
 * Each holds the loop's snapshot: weights, optimiser, RNG streams, history and every callback's
 * state, so `latestCheckpoint(store)` continues the run exactly. It runs after the other
 * callbacks (order 100) so that their states include the epoch just finished.
 */
import type { JsonValue } from "../../nn/module.js";
import { writeCheckpointTo } from "../checkpoint-format.js";
import type { EpochLogs } from "../metrics.js";
import { periodicStem, pruneCheckpoints } from "../store/checkpoints.js";
import type { RunStore } from "../store/store.js";
import type { Callback, TrainEnd, TrainLoop } from "./callback.js";

export interface CheckpointOptions {
  /** Where to write. Default: the loop's store (fit's `store`); one of the two is required. */
  store?: RunStore;
  /** Write a periodic checkpoint every this many epochs. Default 1. */
  every?: number;
  /** Periodic checkpoints kept (the newest). Default 3. */
  keep?: number;
  /** Folder of the periodic checkpoints inside the store. Default "checkpoints". */
  dir?: string;
  /** Write final.json/.safetensors when the run ends. Default true. */
  final?: boolean;
  /** Log value watched by bestOnly (e.g. "val_loss"). Default none. */
  monitor?: string;
  /** Whether a smaller ("min") or larger ("max") monitored value is better. Default "min". */
  mode?: "min" | "max";
  /** Write a periodic checkpoint only when the monitored value improved. Default false. */
  bestOnly?: boolean;
  /** Told about each checkpoint written, with its metadata's name in the store. Default none. */
  onSave?: (info: { name: string; epoch: number; kind: "periodic" | "final"; store: RunStore }) => void;
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`Checkpoint: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

export class Checkpoint implements Callback {
  readonly key = "checkpoint";
  readonly order = 100;
  private readonly every: number;
  private readonly keep: number;
  private readonly dir: string;
  private best: number | null = null;

  constructor(private readonly opts: CheckpointOptions = {}) {
    this.every = positiveInt("every", opts.every, 1);
    this.keep = positiveInt("keep", opts.keep, 3);
    this.dir = opts.dir ?? "checkpoints";
    if (opts.bestOnly === true && opts.monitor === undefined) throw new Error(`Checkpoint: bestOnly needs a monitor (a log name such as "val_loss")`);
    if (opts.mode !== undefined && opts.mode !== "min" && opts.mode !== "max") throw new Error(`Checkpoint: mode must be "min" or "max", got ${JSON.stringify(opts.mode)}`);
  }

  private storeOf(loop: TrainLoop): RunStore {
    const store = this.opts.store ?? loop.store;
    if (store === undefined) throw new Error(`Checkpoint: no store; pass { store } to Checkpoint or to fit`);
    return store;
  }

  onTrainBegin(loop: TrainLoop): void {
    this.storeOf(loop);
  }

  private improved(logs: EpochLogs): boolean {
    const name = this.opts.monitor;
    if (name === undefined) return true;
    const v = logs[name];
    if (v === undefined) throw new Error(`Checkpoint: monitor "${name}" is not in the logs (they hold ${Object.keys(logs).join(", ")})`);
    const better = this.best === null || (this.opts.mode === "max" ? v > this.best : v < this.best);
    if (better) this.best = v;
    return better;
  }

  async onEpochEnd(epoch: number, logs: EpochLogs, loop: TrainLoop): Promise<void> {
    const improved = this.improved(logs);
    if (epoch >= loop.epochs && this.opts.final !== false) return;
    if (epoch % this.every !== 0) return;
    if (this.opts.bestOnly === true && !improved) return;
    const store = this.storeOf(loop);
    const name = await writeCheckpointTo(store, `${this.dir}/${periodicStem(epoch)}`, loop.snapshot(epoch));
    await pruneCheckpoints(store, this.keep, this.dir);
    this.opts.onSave?.({ name, epoch, kind: "periodic", store });
  }

  async onTrainEnd(end: TrainEnd, loop: TrainLoop): Promise<void> {
    if (this.opts.final === false || end.aborted) return;
    const store = this.storeOf(loop);
    const last = end.history[end.history.length - 1];
    const epoch = last?.epoch ?? loop.initialEpoch;
    const name = await writeCheckpointTo(store, "final", loop.snapshot(epoch));
    await pruneCheckpoints(store, this.keep, this.dir);
    this.opts.onSave?.({ name, epoch, kind: "final", store });
  }

  getState(): JsonValue {
    return { best: this.best };
  }

  setState(state: JsonValue): void {
    const best = typeof state === "object" && state !== null && !Array.isArray(state) ? state["best"] : undefined;
    this.best = typeof best === "number" ? best : null;
  }
}
