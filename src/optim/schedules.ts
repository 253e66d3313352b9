/**
 * Learning-rate schedules, epoch-wise, as PyTorch 1.13's `torch.optim.lr_scheduler` computes
 * them (the recursive forms its `step()` uses, so the values agree to the last bit in float64):
 *
 * - StepLR: lr ← lr·γ at every `stepSize`-th epoch, so lr_e = lr₀·γ^⌊e / stepSize⌋;
 * - ExponentialLR: lr ← lr·γ every epoch, lr_e = lr₀·γ^e;
 * - CosineAnnealingLR: lr_e = η_min + (lr₀ − η_min)·(1 + cos(π·e / T_max)) / 2, reached through
 *   PyTorch's recurrence lr_e = (1 + cos(πe/T)) / (1 + cos(π(e−1)/T))·(lr_{e−1} − η_min) + η_min;
 * - ReduceLROnPlateau: lr ← max(lr·factor, minLr) once the watched value has not improved
 *   (relative or absolute threshold) for more than `patience` epochs, then `cooldown` quiet epochs.
 *
 * Each acts on an optimiser's `lr` (anything with a settable `lr`); `step()` is called once per
 * epoch, after it. The state (`getState`/`setState`) holds the epoch count and counters; the
 * current lr lives in the optimiser, whose own state saves it.
 */
import type { JsonValue } from "../nn/module.js";

/** What a schedule drives: an optimiser, or anything with a settable learning rate. */
export interface LrHolder {
  lr: number;
}

/** A learning-rate schedule stepped once per epoch. */
export interface LrScheduler {
  /** "StepLR", "CosineAnnealingLR", ... */
  readonly kind: string;
  /** Epochs stepped so far (PyTorch's last_epoch). */
  readonly lastEpoch: number;
  /** Moves to the next epoch and sets the optimiser's lr; `metric` is the watched value (ReduceLROnPlateau only). */
  step(metric?: number): void;
  getState(): JsonValue;
  setState(state: JsonValue): void;
}

function positiveInt(where: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${where}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

function positiveNumber(where: string, name: string, v: number): number {
  if (typeof v !== "number" || !(Number.isFinite(v) && v > 0)) throw new Error(`${where}: ${name} must be a positive number, got ${String(v)}`);
  return v;
}

function record(state: JsonValue, where: string): Record<string, JsonValue> {
  if (typeof state !== "object" || state === null || Array.isArray(state)) throw new Error(`${where}.setState: expected an object from getState(), got ${JSON.stringify(state)}`);
  return state;
}

function numberField(s: Record<string, JsonValue>, where: string, key: string): number {
  const v = s[key];
  if (typeof v !== "number") throw new Error(`${where}.setState: ${key} must be a number, got ${JSON.stringify(v) ?? "nothing"}`);
  return v;
}

abstract class EpochSchedule implements LrScheduler {
  abstract readonly kind: string;
  lastEpoch = 0;
  /** The lr when the schedule was built (PyTorch's base_lrs); saved with the state. */
  baseLr: number;
  constructor(protected readonly optimizer: LrHolder) {
    this.baseLr = optimizer.lr;
  }
  /** The lr for epoch `lastEpoch` given the current one. */
  protected abstract next(current: number): number;
  step(): void {
    this.lastEpoch += 1;
    this.optimizer.lr = this.next(this.optimizer.lr);
  }
  getState(): JsonValue {
    return { lastEpoch: this.lastEpoch, baseLr: this.baseLr };
  }
  setState(state: JsonValue): void {
    const s = record(state, this.kind);
    this.lastEpoch = numberField(s, this.kind, "lastEpoch");
    this.baseLr = numberField(s, this.kind, "baseLr");
  }
}

export interface StepLROptions {
  /** Epochs between decays. Required. */
  stepSize: number;
  /** Factor of each decay. Default 0.1. */
  gamma?: number;
}

/** PyTorch's StepLR. */
export class StepLR extends EpochSchedule {
  readonly kind = "StepLR";
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: LrHolder, opts: StepLROptions) {
    super(optimizer);
    this.stepSize = positiveInt("StepLR", "stepSize", opts.stepSize);
    this.gamma = positiveNumber("StepLR", "gamma", opts.gamma ?? 0.1);
  }
  protected next(current: number): number {
    return this.lastEpoch % this.stepSize === 0 ? current * this.gamma : current;
  }
}

/** PyTorch's ExponentialLR. */
export class ExponentialLR extends EpochSchedule {
  readonly kind = "ExponentialLR";
  readonly gamma: number;
  /** @param opts.gamma factor per epoch. Required. */
  constructor(optimizer: LrHolder, opts: { gamma: number }) {
    super(optimizer);
    this.gamma = positiveNumber("ExponentialLR", "gamma", opts.gamma);
  }
  protected next(current: number): number {
    return current * this.gamma;
  }
}

export interface CosineAnnealingLROptions {
  /** Half period T_max in epochs. Required. */
  tMax: number;
  /** Lowest lr η_min. Default 0. */
  etaMin?: number;
}

/** PyTorch's CosineAnnealingLR (its recursive get_lr, restarts after 2·T_max included). */
export class CosineAnnealingLR extends EpochSchedule {
  readonly kind = "CosineAnnealingLR";
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: LrHolder, opts: CosineAnnealingLROptions) {
    super(optimizer);
    this.tMax = positiveInt("CosineAnnealingLR", "tMax", opts.tMax);
    this.etaMin = opts.etaMin ?? 0;
    if (!(Number.isFinite(this.etaMin) && this.etaMin >= 0)) throw new Error(`CosineAnnealingLR: etaMin must be a number >= 0, got ${String(opts.etaMin)}`);
  }
  protected next(current: number): number {
    const e = this.lastEpoch;
    const T = this.tMax;
    if ((e - 1 - T) % (2 * T) === 0) return current + ((this.baseLr - this.etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
    return ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (current - this.etaMin) + this.etaMin;
  }
}

export interface ReduceLROnPlateauOptions {
  /** "min": the watched value should fall; "max": rise. Default "min". */
  mode?: "min" | "max";
  /** Factor of each reduction, in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before a reduction. Default 10. */
  patience?: number;
  /** Least change that counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** "rel": better than best·(1 ∓ threshold); "abs": better than best ∓ threshold. Default "rel". */
  thresholdMode?: "rel" | "abs";
  /** Epochs after a reduction during which bad epochs are not counted. Default 0. */
  cooldown?: number;
  /** Lowest lr. Default 0. */
  minLr?: number;
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

/** PyTorch's ReduceLROnPlateau; `step(metric)` takes the watched value of the epoch. */
export class ReduceLROnPlateau implements LrScheduler {
  readonly kind = "ReduceLROnPlateau";
  lastEpoch = 0;
  private best: number;
  private numBadEpochs = 0;
  private cooldownCounter = 0;
  private readonly o: Required<ReduceLROnPlateauOptions>;

  constructor(private readonly optimizer: LrHolder, opts: ReduceLROnPlateauOptions = {}) {
    const where = "ReduceLROnPlateau";
    this.o = {
      mode: opts.mode ?? "min",
      factor: opts.factor ?? 0.1,
      patience: opts.patience ?? 10,
      threshold: opts.threshold ?? 1e-4,
      thresholdMode: opts.thresholdMode ?? "rel",
      cooldown: opts.cooldown ?? 0,
      minLr: opts.minLr ?? 0,
      eps: opts.eps ?? 1e-8,
    };
    if (this.o.mode !== "min" && this.o.mode !== "max") throw new Error(`${where}: mode must be "min" or "max", got ${JSON.stringify(opts.mode)}`);
    if (this.o.thresholdMode !== "rel" && this.o.thresholdMode !== "abs") throw new Error(`${where}: thresholdMode must be "rel" or "abs", got ${JSON.stringify(opts.thresholdMode)}`);
    if (!(this.o.factor > 0 && this.o.factor < 1)) throw new Error(`${where}: factor must be in (0, 1), got ${String(opts.factor)}`);
    for (const k of ["patience", "cooldown"] as const) {
      if (!Number.isInteger(this.o[k]) || this.o[k] < 0) throw new Error(`${where}: ${k} must be a non-negative integer, got ${String(this.o[k])}`);
    }
    this.best = this.o.mode === "min" ? Infinity : -Infinity;
  }

  private isBetter(a: number): boolean {
    const { mode, thresholdMode, threshold } = this.o;
    if (mode === "min") return thresholdMode === "rel" ? a < this.best * (1 - threshold) : a < this.best - threshold;
    return thresholdMode === "rel" ? a > this.best * (threshold + 1) : a > this.best + threshold;
  }

  step(metric?: number): void {
    if (typeof metric !== "number" || Number.isNaN(metric)) throw new Error(`ReduceLROnPlateau.step: needs the watched value of the epoch, got ${String(metric)}`);
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs += 1;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.o.patience) {
      const old = this.optimizer.lr;
      const lr = Math.max(old * this.o.factor, this.o.minLr);
      if (old - lr > this.o.eps) this.optimizer.lr = lr;
      this.cooldownCounter = this.o.cooldown;
      this.numBadEpochs = 0;
    }
  }

  getState(): JsonValue {
    // JSON has no infinities: an unset best is written as null.
    return { lastEpoch: this.lastEpoch, best: Number.isFinite(this.best) ? this.best : null, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }

  setState(state: JsonValue): void {
    const s = record(state, this.kind);
    this.lastEpoch = numberField(s, this.kind, "lastEpoch");
    this.best = typeof s["best"] === "number" ? s["best"] : this.o.mode === "min" ? Infinity : -Infinity;
    this.numBadEpochs = numberField(s, this.kind, "numBadEpochs");
    this.cooldownCounter = numberField(s, this.kind, "cooldownCounter");
  }
}
