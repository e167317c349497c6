/**
 * RFC 4180 fields of one CSV record (which may span several physical lines when a quoted field
 * holds a line break). Lenient where the RFC is strict: a quote inside an unquoted field is kept
 * as text, and text after a closing quote is appended to the field.
 */

/** Split `rec` into `out`; returns the field count, or -1 when a quoted field is not closed. */
export function splitCsv(rec: string, delim: number, out: string[]): number {
  const n = rec.length;
  if (rec.indexOf('"') < 0) {
    // fast path: no quoting at all
    let k = 0;
    let i = 0;
    const d = String.fromCharCode(delim);
    for (;;) {
      const j = rec.indexOf(d, i);
      if (j < 0) {
        out[k++] = rec.slice(i);
        return k;
      }
      out[k++] = rec.slice(i, j);
      i = j + 1;
    }
  }
  let k = 0;
  let i = 0;
  for (;;) {
    if (i < n && rec.charCodeAt(i) === 34) {
      // quoted field
      let value = "";
      let from = i + 1;
      for (;;) {
        const q = rec.indexOf('"', from);
        if (q < 0) return -1;
        if (rec.charCodeAt(q + 1) === 34) {
          value += rec.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += rec.slice(from, q);
        i = q + 1;
        break;
      }
      let j = i;
      while (j < n && rec.charCodeAt(j) !== delim) j++;
      if (j > i) value += rec.slice(i, j);
      out[k++] = value;
      if (j >= n) return k;
      i = j + 1;
    } else {
      let j = i;
      while (j < n && rec.charCodeAt(j) !== delim) j++;
      out[k++] = rec.slice(i, j);
      if (j >= n) return k;
      i = j + 1;
    }
  }
}

/** Whether `rec` ends inside a quoted field (so the record goes on on the next line). */
export function csvUnterminated(rec: string, delim: number): boolean {
  if (rec.indexOf('"') < 0) return false;
  const n = rec.length;
  let i = 0;
  for (;;) {
    if (i < n && rec.charCodeAt(i) === 34) {
      let from = i + 1;
      for (;;) {
        const q = rec.indexOf('"', from);
        if (q < 0) return true;
        if (rec.charCodeAt(q + 1) === 34) {
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
    }
    let j = i;
    while (j < n && rec.charCodeAt(j) !== delim) j++;
    if (j >= n) return false;
    i = j + 1;
  }
}
