/** Time series: monthly CSV series, forecast errors and classical baselines. */
export { parseMonthlyCsv, monthName, type MonthlySeries } from "./monthly.js";
export { meanAbsoluteError, rootMeanSquaredError, meanAbsoluteScaledError, seasonalNaiveScale } from "./metrics.js";
export { seasonalNaiveDrift, linearTrendSeasonal, solveLinear, type Baseline } from "./baselines.js";
