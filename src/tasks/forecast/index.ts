/** Forecasting the monthly Mauna Loa CO2 series with an LSTM/GRU, against seasonal naive with drift and a linear trend with seasonality. */
export { FORECAST_TASK, loadForecaster, readForecastConfig } from "./task.js";
export { trainForecast, loadForecastSplit, buildForecaster, type TrainForecastOptions, type TrainForecastResult } from "./train.js";
export { resolveForecastConfig, CO2_CSV, type ForecastConfig } from "./config.js";
export { FORECAST_SCHEMA, FORECAST_DEFAULTS, FORECAST_CELLS } from "./schema.js";
export { Forecaster, type ForecasterOptions } from "./model.js";
export { splitSeries, trainingWindows, windowInto, type ForecastSplit, type ChangeScaler } from "./data.js";
export { forecastLevels, scoreRows, baselineRows, type Strategy, type HorizonScore, type Scores } from "./forecast.js";
export { evaluateForecaster, summarize as summarizeForecast, writeForecastResults, type ForecastResults } from "./results.js";
