/*
 * A plain-text table that fits a terminal width: numeric columns keep their width, text
 * columns shrink (with `…`) in proportion to how much they would like, down to their minimum.
 */
import { displayWidth, padEnd, padStart, truncate, visible } from "./text.js";

export interface Column<T> {
  readonly header: string;
  readonly align?: "left" | "right";
  /** Text columns shrink to fit; numbers (`shrink: false`) never do. */
  readonly shrink?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Cell text. Made `visible()` here, so callers may pass raw log strings. */
  readonly cell: (row: T, index: number) => string;
  /** Left out when even the minimum widths do not fit: the highest number goes first. */
  readonly drop?: number;
  /** ANSI style for the cell (applied after padding, so widths stay right). */
  readonly style?: (row: T, text: string) => string | undefined;
}

export interface GridOptions {
  readonly width: number;
  readonly color: boolean;
  readonly indent?: number;
}

const GAP = "  ";

export function grid<T>(rows: readonly T[], allColumns: readonly Column<T>[], opts: GridOptions): string[] {
  const indent = opts.indent ?? 2;
  const allCells = rows.map((r, i) => allColumns.map((c) => visible(c.cell(r, i))));
  const natural = allColumns.map((c, j) => {
    let w = displayWidth(c.header);
    for (const row of allCells) w = Math.max(w, displayWidth(row[j]!));
    return c.max ? Math.min(w, Math.max(c.max, displayWidth(c.header))) : w;
  });
  const mins = allColumns.map((c, j) => (c.shrink === false ? natural[j]! : Math.min(natural[j]!, c.min ?? Math.max(6, Math.min(displayWidth(c.header), 12)))));
  // Leave out optional columns while even the minimum widths overflow.
  const keep = allColumns.map(() => true);
  const need = () => keep.reduce((n, k, j) => n + (k ? mins[j]! + GAP.length : 0), indent - GAP.length);
  while (need() > opts.width) {
    let worst = -1;
    allColumns.forEach((c, j) => {
      if (keep[j] && c.drop !== undefined && (worst < 0 || c.drop > allColumns[worst]!.drop!)) worst = j;
    });
    if (worst < 0) break;
    keep[worst] = false;
  }
  const idx = allColumns.map((_, j) => j).filter((j) => keep[j]);
  const columns = idx.map((j) => allColumns[j]!);
  const cells = allCells.map((row) => idx.map((j) => row[j]!));
  const widths = idx.map((j) => natural[j]!);
  const min = idx.map((j) => mins[j]!);
  const budget = opts.width - indent - GAP.length * (columns.length - 1);
  let excess = widths.reduce((a, b) => a + b, 0) - budget;
  // Shrink the column with the most room above its minimum, one column at a time.
  while (excess > 0) {
    let best = -1;
    for (let j = 0; j < widths.length; j++) {
      if (widths[j]! <= min[j]!) continue;
      if (best < 0 || widths[j]! - min[j]! > widths[best]! - min[best]!) best = j;
    }
    if (best < 0) break;
    widths[best]!--;
    excess--;
  }
  // Still too wide (a very narrow terminal): text columns give up their minimums too.
  while (excess > 0) {
    let best = -1;
    for (let j = 0; j < widths.length; j++) if (columns[j]!.shrink !== false && widths[j]! > 3 && (best < 0 || widths[j]! > widths[best]!)) best = j;
    if (best < 0) break;
    widths[best]!--;
    excess--;
  }
  const pad = " ".repeat(indent);
  const render = (texts: readonly string[], styleOf: (j: number, text: string) => string | undefined) =>
    (
      pad +
      texts
        .map((t, j) => {
          const cut = truncate(t, widths[j]!);
          const padded = columns[j]!.align === "right" ? padStart(cut, widths[j]!) : j === texts.length - 1 ? cut : padEnd(cut, widths[j]!);
          const st = opts.color ? styleOf(j, cut) : undefined;
          if (!st) return padded;
          const at = padded.indexOf(cut);
          return padded.slice(0, at) + st + cut + RESET + padded.slice(at + cut.length);
        })
        .join(GAP)
    ).trimEnd();
  const out = [render(columns.map((c) => c.header), () => BOLD)];
  rows.forEach((row, i) => out.push(render(cells[i]!, (j, text) => columns[j]!.style?.(row, text))));
  return out;
}

export const RESET = "\u001b[0m";
export const BOLD = "\u001b[1m";
export const DIM = "\u001b[2m";
export const RED = "\u001b[31m";
export const GREEN = "\u001b[32m";
export const YELLOW = "\u001b[33m";
export const BLUE = "\u001b[34m";
export const MAGENTA = "\u001b[35m";
export const CYAN = "\u001b[36m";
