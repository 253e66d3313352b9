/** The forecasting task as a `TaskDefinition`: `recurrent train|evaluate|predict forecast`. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { monthName } from "../../data/series/monthly.js";
import { readCheckpoint } from "../../train/checkpoint.js";
import { FileStore } from "../../train/store/file-store.js";
import { latestCheckpointRef } from "../../train/store/checkpoints.js";
import { readJsonChecked } from "../../io/read-json.js";
import type { TaskDefinition } from "../task.js";
import { resolveForecastConfig, type ForecastConfig } from "./config.js";
import { forecastLevels } from "./forecast.js";
import type { Forecaster } from "./model.js";
import { evaluateForecaster, summarize } from "./results.js";
import { FORECAST_SCHEMA } from "./schema.js";
import { buildForecaster, loadForecastSplit, trainForecast } from "./train.js";

/** The run's config.json, checked. */
export function readForecastConfig(runDir: string): ForecastConfig {
  const path = join(runDir, "config.json");
  if (!existsSync(path)) throw new Error(`${runDir} is not a forecast run folder: it has no config.json`);
  const json = readJsonChecked(path, "run config");
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${path}: config must be an object`);
  return resolveForecastConfig({ ...json }, path);
}

/** The run's model from its final checkpoint, else its latest periodic one. */
export async function loadForecaster(runDir: string): Promise<{ model: Forecaster; config: ForecastConfig; epoch: number; path: string }> {
  const config = readForecastConfig(runDir);
  const final = join(runDir, "final.json");
  const ref = existsSync(final) ? { path: final } : await latestCheckpointRef(new FileStore(runDir)).then((r) => (r === null ? null : { path: join(runDir, r.name) }));
  if (ref === null) throw new Error(`run folder ${runDir} has no checkpoint yet`);
  const ckpt = readCheckpoint(ref.path);
  const model = buildForecaster(config);
  model.loadStateDict(ckpt.params);
  model.eval();
  return { model, config, epoch: ckpt.meta.epoch, path: ref.path };
}

export const FORECAST_TASK: TaskDefinition = {
  schema: FORECAST_SCHEMA,
  async train(values, ctx) {
    const config = resolveForecastConfig(values);
    const r = await trainForecast({ config, runDir: ctx.runDir, resume: ctx.resume, progress: ctx.progress, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
    if (r.results !== null && r.split.series.filled.length > 0) ctx.log(`note: months missing from the data were interpolated linearly: ${r.split.series.filled.join(", ")}`);
    return {
      runDir: ctx.runDir,
      aborted: r.aborted,
      summary: r.results === null ? {} : { ...summarize(r.results), seconds: r.seconds },
      files: { checkpoint: join(ctx.runDir, "final.json"), plot: join(ctx.runDir, "forecast.svg"), loss: join(ctx.runDir, "loss.svg"), results: join(ctx.runDir, "results.json") },
    };
  },
  async evaluate(runDir) {
    const { model, config, epoch } = await loadForecaster(runDir);
    return { epoch, ...summarize(evaluateForecaster(model, loadForecastSplit(config), config)) };
  },
  async predict(runDir, input) {
    const months = input.trim() === "" ? 12 : Number(input);
    if (!Number.isInteger(months) || months < 1 || months > 600) throw new Error(`predict forecast: INPUT must be a number of months in [1, 600], got ${JSON.stringify(input)}`);
    const { model, config } = await loadForecaster(runDir);
    const split = loadForecastSplit(config);
    const v = split.series.values;
    const t = v.length - 1;
    const row = forecastLevels(model, v, [t], months, config.window, split.scaler, "recursive")[0]!;
    const first = split.series.months[0] ?? "1958-03";
    const [y, m] = first.split("-").map(Number);
    const start = (y ?? 0) * 12 + (m ?? 1) - 1;
    const rows = Array.from(row, (value, s) => ({ month: monthName(start + t + s + 1), co2: value }));
    return { text: rows.map((r) => `${r.month}  ${r.co2.toFixed(2)}`).join("\n"), json: { from: split.series.months[t], strategy: "recursive", forecast: rows } };
  },
  progress: { columns: [{ key: "loss", label: "loss", digits: 5 }], rate: { unit: "windows", label: "win" } },
  predictInput: "months to forecast past the end of the data (default 12), recursively",
  readConfig: (runDir) => ({ ...readForecastConfig(runDir) }),
  runName: (config) => String(config["cell"] ?? "lstm"),
};
