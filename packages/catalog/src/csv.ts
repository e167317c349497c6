/*
 * The one RFC 4180 CSV reader of the project: comma-separated, `"` quotes a field (it opens
 * only at the start of a field, after optional blanks), `""` is a quote inside quotes, and a
 * quoted field may hold commas and line breaks. Records end with LF or CRLF. It lives here,
 * in the lowest layer that reads CSV (the catalog importer); the CLI hands it to the
 * indicator targets that read their earlier CSV output back.
 */

export interface CsvRow {
  /** 1-based line the record starts on. */
  readonly line: number;
  readonly cells: string[];
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

export interface CsvOptions {
  /** Skip blank lines and lines starting with `#` (hand-written lists); otherwise a blank line is a record of one empty field. */
  readonly comments?: boolean;
}

/** Records with the line each starts on; a record whose quoted field never closes is reported, not returned. A leading BOM is skipped. */
export function readCsv(text: string, opts: CsvOptions = {}): { rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    if (opts.comments) {
      const eol = text.indexOf("\n", i);
      const rawLine = text.slice(i, eol < 0 ? text.length : eol);
      if (rawLine.trim() === "" || rawLine.trimStart().startsWith("#")) {
        i = eol < 0 ? text.length : eol + 1;
        line++;
        continue;
      }
    }
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    let wasQuoted = false;
    let broken = false;
    for (;;) {
      if (i >= text.length) {
        if (quoted) {
          problems.push({ line: start, message: "a quoted field is not closed before the end of the file" });
          broken = true;
        }
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (c === "\n") line++;
        cell += c;
        i++;
        continue;
      }
      if (c === '"' && cell.trim() === "" && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        cell = "";
        i++;
        continue;
      }
      if (c === ",") {
        cells.push(cell);
        cell = "";
        wasQuoted = false;
        i++;
        continue;
      }
      if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        i++;
        line++;
        break;
      }
      cell += c;
      i++;
    }
    cells.push(cell);
    if (!broken) rows.push({ line: start, cells });
  }
  return { rows, problems };
}
