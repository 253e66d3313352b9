/** The forecasting task's config, typed: the schema's options with defaults filled and checked. */
import { fileURLToPath } from "node:url";
import { checkConfig, type OptionValue } from "../schema.js";
import { FORECAST_DEFAULTS, FORECAST_SCHEMA } from "./schema.js";

export interface ForecastConfig {
  cell: "lstm" | "gru";
  hiddenSize: number;
  numLayers: number;
  /** The CSV (Date and CO2 columns); absolute. */
  dataPath: string;
  window: number;
  horizon: number;
  holdout: number;
  baselineYears: number;
  batchSize: number;
  numEpochs: number;
  lr: number;
  clip: number;
  seed: number;
  checkpointEvery: number;
}

/** The monthly Mauna Loa CO2 record shipped in the package's data/ folder. */
export const CO2_CSV = fileURLToPath(new URL("../../../data/co2-concentration.csv", import.meta.url));

/** Fills defaults into `input` (values by config field) and checks every field; errors name `where` and the field. */
export function resolveForecastConfig(input: Record<string, OptionValue | undefined>, where = "forecast"): ForecastConfig {
  const merged: Record<string, OptionValue> = { ...FORECAST_DEFAULTS, dataPath: CO2_CSV };
  for (const [k, v] of Object.entries(input)) if (v !== undefined) merged[k] = v;
  const c = checkConfig(FORECAST_SCHEMA, merged, where);
  const num = (k: string): number => Number(c[k]);
  const cell = c["cell"] === "gru" ? "gru" : "lstm";
  const config: ForecastConfig = {
    cell,
    hiddenSize: num("hiddenSize"),
    numLayers: num("numLayers"),
    dataPath: String(c["dataPath"]),
    window: num("window"),
    horizon: num("horizon"),
    holdout: num("holdout"),
    baselineYears: num("baselineYears"),
    batchSize: num("batchSize"),
    numEpochs: num("numEpochs"),
    lr: num("lr"),
    clip: num("clip"),
    seed: num("seed"),
    checkpointEvery: num("checkpointEvery"),
  };
  if (config.baselineYears < 2) throw new Error(`${where}: baselineYears must be at least 2 (the baselines need two seasons), got ${config.baselineYears}`);
  return config;
}
