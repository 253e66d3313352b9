/**
 * A monthly series read from CSV text (a `Date` column of "YYYY-MM-DD" or "YYYY-MM", one value
 * column): one value per calendar month, in order. Missing months are filled by linear
 * interpolation between their neighbours and listed in `filled`, so a model sees a regular grid
 * and a reader knows which values were not measured.
 */

/** A regular monthly series. */
export interface MonthlySeries {
  /** "YYYY-MM" of each value, consecutive months. */
  months: string[];
  /** The values (length = months.length). */
  values: Float64Array;
  /** Months absent from the file, filled by linear interpolation. */
  filled: string[];
}

function monthIndex(where: string, line: number, date: string): number {
  const m = /^(\d{4})-(\d{2})(-\d{2})?$/.exec(date.trim());
  const month = m === null ? NaN : Number(m[2]);
  if (m === null || month < 1 || month > 12) throw new Error(`${where}: line ${line}: date must be YYYY-MM or YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return Number(m[1]) * 12 + month - 1;
}

/** "1958-03" of a month index (year·12 + month − 1). */
export function monthName(index: number): string {
  const year = Math.floor(index / 12);
  return `${year}-${String(index - year * 12 + 1).padStart(2, "0")}`;
}

/**
 * Parses `text` (header line first) and takes column `column` (by header name); rows must be in
 * increasing month order, without duplicates. Gaps are interpolated linearly.
 */
export function parseMonthlyCsv(text: string, column: string, where = "parseMonthlyCsv"): MonthlySeries {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const dateCol = header.findIndex((h) => h.toLowerCase() === "date");
  const valueCol = header.indexOf(column);
  if (dateCol < 0) throw new Error(`${where}: the header has no Date column (got ${JSON.stringify(header.join(","))})`);
  if (valueCol < 0) throw new Error(`${where}: no column ${JSON.stringify(column)}; the columns are ${header.join(", ")}`);
  const rows: { month: number; value: number }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] ?? "").split(",");
    const month = monthIndex(where, i + 1, cells[dateCol] ?? "");
    const raw = (cells[valueCol] ?? "").trim();
    const value = raw === "" ? NaN : Number(raw);
    if (!Number.isFinite(value)) throw new Error(`${where}: line ${i + 1}: ${column} must be a number, got ${JSON.stringify(raw)}`);
    const prev = rows[rows.length - 1];
    if (prev !== undefined && month <= prev.month) throw new Error(`${where}: line ${i + 1}: ${monthName(month)} does not follow ${monthName(prev.month)}`);
    rows.push({ month, value });
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined || rows.length < 2) throw new Error(`${where}: needs at least 2 rows, got ${rows.length}`);
  const n = last.month - first.month + 1;
  const values = new Float64Array(n);
  const months: string[] = [];
  const filled: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const a = rows[r]!;
    values[a.month - first.month] = a.value;
    const b = rows[r + 1];
    if (b === undefined) continue;
    for (let m = a.month + 1; m < b.month; m++) {
      const f = (m - a.month) / (b.month - a.month);
      values[m - first.month] = a.value + f * (b.value - a.value);
      filled.push(monthName(m));
    }
  }
  for (let m = first.month; m <= last.month; m++) months.push(monthName(m));
  return { months, values, filled };
}
