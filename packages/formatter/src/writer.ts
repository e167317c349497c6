/**
 * Collects output lines. Indentation is two spaces per level; at most one blank line is kept
 * between lines and none at the start; the result has LF endings, no trailing whitespace and
 * exactly one final newline (an empty document stays empty).
 */
export class LineWriter {
  private readonly lines: string[] = [];
  private current: string | undefined;
  private blankRequested = false;

  /** Ask for a blank line before the next line (ignored at the start of the output). */
  blank(): void {
    this.blankRequested = true;
  }

  /** Start a new line at `level`; the previous line, if open, is finished. */
  open(level: number, text: string): void {
    this.close();
    if (this.blankRequested && this.lines.length > 0) this.lines.push("");
    this.blankRequested = false;
    this.current = "  ".repeat(level) + text;
  }

  /** Append to the open line. */
  append(text: string): void {
    if (this.current === undefined) throw new Error("LineWriter.append without an open line");
    this.current += text;
  }

  get isOpen(): boolean {
    return this.current !== undefined;
  }

  close(): void {
    if (this.current !== undefined) this.lines.push(this.current.trimEnd());
    this.current = undefined;
  }

  /** A whole line at `level`. */
  line(level: number, text: string): void {
    this.open(level, text);
    this.close();
  }

  toString(): string {
    this.close();
    return this.lines.length === 0 ? "" : this.lines.join("\n") + "\n";
  }
}
