/**
 * Steps a learning-rate schedule (optim/schedules.ts) after every epoch, with the monitored log
 * value for ReduceLROnPlateau. Runs before the other callbacks (order −10), so that the lr a
 * checkpoint saves is the one the next epoch uses; its state is saved with checkpoints.
 */
import type { JsonValue } from "../../nn/module.js";
import type { LrScheduler } from "../../optim/schedules.js";
import type { EpochLogs } from "../metrics.js";
import type { Callback } from "./callback.js";

export class LearningRateScheduler implements Callback {
  readonly key = "lr_scheduler";
  readonly order = -10;
  /**
   * @param schedule the schedule, built on the optimiser given to fit.
   * @param opts.monitor log value passed to `step` (ReduceLROnPlateau). Default "val_loss" when there is one, else "loss".
   */
  constructor(readonly schedule: LrScheduler, private readonly opts: { monitor?: string } = {}) {}

  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    if (this.schedule.kind !== "ReduceLROnPlateau") {
      this.schedule.step();
      return;
    }
    const name = this.opts.monitor ?? ("val_loss" in logs ? "val_loss" : "loss");
    const v = logs[name];
    if (v === undefined) throw new Error(`LearningRateScheduler: monitor "${name}" is not in the logs (they hold ${Object.keys(logs).join(", ")})`);
    this.schedule.step(v);
  }

  getState(): JsonValue {
    return this.schedule.getState();
  }

  setState(state: JsonValue): void {
    this.schedule.setState(state);
  }
}
