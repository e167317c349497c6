import type { LineCol } from "./span.js";

/**
 * Maps offsets to line/column and back. Built once per text; lookups are a binary search, so
 * rendering thousands of diagnostics stays cheap. Lines end at `\n`; a `\r` before it belongs
 * to the line ending, not to the column count of the next line.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column of `offset` (clamped into the text). */
  position(offset: number): LineCol {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo]! + 1 };
  }

  /** Offset of a 1-based line and column (clamped). */
  offset(line: number, column: number): number {
    const l = Math.max(1, Math.min(line, this.starts.length));
    const start = this.starts[l - 1]!;
    const end = l < this.starts.length ? this.starts[l]! - 1 : this.text.length;
    return Math.min(start + Math.max(0, column - 1), end);
  }

  /** The text of a 1-based line without its line ending. */
  lineText(line: number): string {
    const l = Math.max(1, Math.min(line, this.starts.length));
    const start = this.starts[l - 1]!;
    let end = l < this.starts.length ? this.starts[l]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}
