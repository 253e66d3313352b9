import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseMonthlyCsv, monthName } from "../../../src/data/series/index.js";

test("parseMonthlyCsv fills missing months linearly and lists them", () => {
  const s = parseMonthlyCsv("Date,v\n2000-01-01,1\n2000-02-01,2\n2000-05-01,8\n2000-06,9\n", "v");
  assert.deepEqual(s.months, ["2000-01", "2000-02", "2000-03", "2000-04", "2000-05", "2000-06"]);
  assert.deepEqual(Array.from(s.values), [1, 2, 4, 6, 8, 9]);
  assert.deepEqual(s.filled, ["2000-03", "2000-04"]);
});

test("parseMonthlyCsv: errors name the line, the column and what came", () => {
  assert.throws(() => parseMonthlyCsv("Date,v\n2000-02-01,1\n2000-01-01,2\n", "v"), /line 3: 2000-01 does not follow 2000-02/);
  assert.throws(() => parseMonthlyCsv("Date,v\n2000-01-01,1\n2000-02-01,x\n", "v"), /line 3: v must be a number, got "x"/);
  assert.throws(() => parseMonthlyCsv("Date,v\n2000-13-01,1\n", "v"), /line 2: date must be YYYY-MM/);
  assert.throws(() => parseMonthlyCsv("Date,v\n2000-01-01,1\n2000-02-01,2\n", "w"), /no column "w"; the columns are Date, v/);
  assert.throws(() => parseMonthlyCsv("Date,v\n2000-01-01,1\n", "v"), /needs at least 2 rows/);
});

test("the bundled CO2 record: 1958-03..2020-04 on a regular grid, the five documented gaps filled", () => {
  const s = parseMonthlyCsv(readFileSync(new URL("../../../data/co2-concentration.csv", import.meta.url), "utf8"), "CO2");
  assert.equal(s.months[0], "1958-03");
  assert.equal(s.months[s.months.length - 1], "2020-04");
  assert.equal(s.values.length, 12 * (2020 - 1958) + 2);
  assert.deepEqual(s.filled, ["1958-06", "1958-10", "1964-02", "1964-03", "1964-04"]);
  // 1958-06 lies halfway between 1958-05 (317.51) and 1958-07 (315.86).
  assert.ok(Math.abs(s.values[3]! - (317.51 + 315.86) / 2) < 1e-9);
  assert.equal(monthName(2020 * 12 + 3), "2020-04");
});
