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

/**
 * Parse RFC 4180 text into records (quoted fields may hold commas, quotes and newlines).
 * @deprecated The targets read CSV through the catalog's `readCsv` (passed in by the CLI);
 * this copy stays only until its last caller, the hostile-input tests, moves to `readCsv`.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
    i++;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
