/*
 * Writing RFC 4180 CSV (reading is the catalog's `readCsv`): fields with a comma, quote, CR
 * or LF are quoted and quotes doubled; records end with CRLF. Cells a spreadsheet would run
 * as a formula (= + - @ tab CR at the start) get a leading apostrophe, so an indicator file
 * opened in Excel stays data.
 */

/** Anything that needs the apostrophe or quotes; most cells have none (`\s` is what trim removes). */
const SPECIAL = /^[=+\-@\s]|[",\r\n]|\s$/;

export function csvCell(value: string): string {
  if (!SPECIAL.test(value)) return value;
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvRecord(cells: readonly string[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}
