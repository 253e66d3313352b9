/**
 * The held-out evaluation of a forecasting run: rolling-origin scores per horizon for the model
 * (recursive and direct) and the two baselines, results.json, and the forecast plot (history,
 * held-out truth, and each method's forecast from the end of the training part).
 */
import { linearTrendSeasonal, seasonalNaiveDrift } from "../../data/series/baselines.js";
import { seasonalNaiveScale } from "../../data/series/metrics.js";
import type { RunStore } from "../../train/store/store.js";
import { linePlotPng } from "../../viz/png.js";
import { linePlotSvg } from "../../viz/svg.js";
import type { Series } from "../../viz/lineplot.js";
import type { ForecastConfig } from "./config.js";
import type { ForecastSplit } from "./data.js";
import { baselineRows, forecastLevels, scoreRows, type HorizonScore, type Scores } from "./forecast.js";
import type { Forecaster } from "./model.js";

export interface ForecastResults {
  /** First held-out month ("2018-05"). */
  testStart: string;
  /** Months filled by interpolation. */
  filled: string[];
  /** MASE's scale: in-sample MAE of the seasonal naive forecast (m = 12) on the training part. */
  maseScale: number;
  /** Scores per horizon 1..H by method: "recursive", "direct", "seasonalNaiveDrift", "linearTrendSeasonal". */
  scores: Scores;
}

/** The methods' names as results.json and the summary write them. */
export const METHODS = ["recursive", "direct", "seasonalNaiveDrift", "linearTrendSeasonal"] as const;

function baselines(split: ForecastSplit, config: ForecastConfig): { seasonalNaiveDrift: ReturnType<typeof seasonalNaiveDrift>; linearTrendSeasonal: ReturnType<typeof linearTrendSeasonal> } {
  const from = Math.max(0, split.trainEnd - 12 * config.baselineYears);
  const v = split.series.values;
  return { seasonalNaiveDrift: seasonalNaiveDrift(v, from, split.trainEnd), linearTrendSeasonal: linearTrendSeasonal(v, from, split.trainEnd) };
}

/** Scores the model and the baselines on the held-out months. */
export function evaluateForecaster(model: Forecaster, split: ForecastSplit, config: ForecastConfig): ForecastResults {
  const v = split.series.values;
  const H = config.horizon;
  const origins: number[] = [];
  for (let t = split.trainEnd - 1; t <= v.length - 2; t++) origins.push(t);
  const scale = seasonalNaiveScale(v.subarray(0, split.trainEnd), 12);
  const b = baselines(split, config);
  const score = (rows: Float64Array[]): HorizonScore[] => scoreRows(v, origins, rows, split.trainEnd, H, scale);
  return {
    testStart: split.series.months[split.trainEnd] ?? "",
    filled: split.series.filled,
    maseScale: scale,
    scores: {
      recursive: score(forecastLevels(model, v, origins, H, config.window, split.scaler, "recursive")),
      direct: score(forecastLevels(model, v, origins, H, config.window, split.scaler, "direct")),
      seasonalNaiveDrift: score(baselineRows(b.seasonalNaiveDrift, v, origins, H)),
      linearTrendSeasonal: score(baselineRows(b.linearTrendSeasonal, v, origins, H)),
    },
  };
}

/** `{ "recursive.h1.mae": ..., "direct.h12.mase": ... }` for horizons 1 and the largest (the run's summary). */
export function summarize(results: ForecastResults): Record<string, number> {
  const out: Record<string, number> = {};
  for (const method of METHODS) {
    const rows = results.scores[method] ?? [];
    const picks = [rows[0], rows[rows.length - 1]];
    for (const r of picks) {
      if (r === undefined) continue;
      out[`${method}.h${r.horizon}.mae`] = r.mae;
      out[`${method}.h${r.horizon}.rmse`] = r.rmse;
      out[`${method}.h${r.horizon}.mase`] = r.mase;
    }
  }
  return out;
}

/** Fractional year of month index i of the series ("1958-03" is 1958 + 2/12). */
function yearOf(split: ForecastSplit, i: number): number {
  const [y, m] = (split.series.months[0] ?? "0-1").split("-").map(Number);
  return (y ?? 0) + ((m ?? 1) - 1 + i) / 12;
}

/** The forecast plot's series: 3 years of history, the held-out truth and each method from the end of the training part. */
export function forecastPlotSeries(model: Forecaster, split: ForecastSplit, config: ForecastConfig): Series[] {
  const v = split.series.values;
  const t0 = split.trainEnd - 1;
  const steps = v.length - split.trainEnd;
  const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, k) => a + k);
  const hist = range(Math.max(0, t0 - 36), t0 + 1);
  const test = range(t0, v.length);
  const b = baselines(split, config);
  const ahead = (rows: Float64Array, n: number): { x: number[]; y: number[] } => ({
    x: range(t0, t0 + n + 1).map((i) => yearOf(split, i)),
    y: [v[t0]!, ...Array.from(rows.subarray(0, n))],
  });
  const rec = forecastLevels(model, v, [t0], steps, config.window, split.scaler, "recursive")[0]!;
  const direct = forecastLevels(model, v, [t0], Math.min(steps, config.horizon), config.window, split.scaler, "direct")[0]!;
  return [
    { name: "history", x: hist.map((i) => yearOf(split, i)), y: hist.map((i) => v[i]!), color: "#444444" },
    { name: "held-out truth", x: test.map((i) => yearOf(split, i)), y: test.map((i) => v[i]!), color: "#000000" },
    { name: `${config.cell.toUpperCase()} recursive`, ...ahead(rec, steps) },
    { name: `${config.cell.toUpperCase()} direct`, ...ahead(direct, direct.length) },
    { name: "seasonal naive + drift", ...ahead(baselineRows(b.seasonalNaiveDrift, v, [t0], steps)[0]!, steps) },
    { name: "linear trend + seasonality", ...ahead(baselineRows(b.linearTrendSeasonal, v, [t0], steps)[0]!, steps) },
  ];
}

/** Writes results.json and forecast.svg/.png into the run's store. */
export async function writeForecastResults(store: RunStore, model: Forecaster, split: ForecastSplit, config: ForecastConfig, results: ForecastResults): Promise<void> {
  await store.write("results.json", `${JSON.stringify(results, null, 2)}\n`);
  const plot = {
    title: `Mauna Loa CO2: forecasts from ${split.series.months[split.trainEnd - 1] ?? ""}`,
    xLabel: "year",
    yLabel: "CO2 (ppm)",
    width: 800,
    height: 450,
    series: forecastPlotSeries(model, split, config),
  };
  await store.write("forecast.svg", linePlotSvg(plot));
  await store.write("forecast.png", linePlotPng(plot));
}
