/** A half-open range of UTF-16 offsets `[start, end)` in one source file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A 1-based line and column, as printed in `file:line:col`. Columns count UTF-16 code units. */
export interface LineCol {
  readonly line: number;
  readonly column: number;
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end: Math.max(start, end) };
}

/** The smallest span covering both `a` and `b` (which must be in the same file). */
export function cover(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
