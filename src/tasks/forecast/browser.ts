/** The browser-safe parts of the forecasting task: the model, the windows, the forecasts and their scores and plot series. */
export { FORECAST_SCHEMA, FORECAST_DEFAULTS, FORECAST_CELLS } from "./schema.js";
export { Forecaster, type ForecasterOptions } from "./model.js";
export { splitSeries, trainingWindows, windowInto, type ForecastSplit, type ChangeScaler } from "./data.js";
export { forecastLevels, scoreRows, baselineRows, type Strategy, type HorizonScore, type Scores } from "./forecast.js";
export { evaluateForecaster, forecastPlotSeries, type ForecastResults } from "./results.js";
export type { ForecastConfig } from "./config.js";
