import { LineIndex, type Span } from "@sanction/diagnostics";
import type * as A from "@sanction/syntax";
import type { Position, Range } from "./types.js";

/** Offset ↔ 0-based line/character for one text. */
export class Positions {
  readonly index: LineIndex;
  constructor(readonly text: string) {
    this.index = new LineIndex(text);
  }
  position(offset: number): Position {
    const p = this.index.position(offset);
    return { line: p.line - 1, character: p.column - 1 };
  }
  offset(pos: Position): number {
    if (pos.line >= this.index.lineCount) return this.text.length;
    return this.index.offset(Math.max(0, pos.line) + 1, Math.max(0, pos.character) + 1);
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
  spanRange(s: Span): Range {
    return this.range(s.start, s.end);
  }
  lineText(line: number): string {
    return this.index.lineText(line + 1);
  }
}

type AnyNode = A.AnyNode;

function isNode(x: unknown): x is AnyNode {
  return typeof x === "object" && x !== null && "kind" in x && "span" in x;
}

/** The child nodes of an AST node, in source order. */
export function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === "span") continue;
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) out.push(x);
    } else if (isNode(v)) out.push(v);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Nodes whose span contains `offset` (end inclusive), outermost first. */
export function nodePath(file: A.PolicyFile, offset: number): AnyNode[] {
  const path: AnyNode[] = [file];
  // The file's items are already in source order: scanning them beats collecting and sorting
  // the 20,000 items and comments of a 100,000-line file on every hover.
  const item = itemAt(file, offset);
  if (!item) return path;
  path.push(item);
  let cur: AnyNode = item;
  for (;;) {
    const next: AnyNode | undefined = children(cur).find((c) => c.span.start <= offset && offset <= c.span.end && c.kind !== "Comment");
    if (!next) return path;
    path.push(next);
    cur = next;
  }
}

/** Visit `node` and its descendants in source order (pre-order). A loop with an explicit stack: a 5 MB `when` is 100,000 levels deep. */
export function walk(node: AnyNode, visit: (n: AnyNode, parent: AnyNode | undefined) => void, parent?: AnyNode): void {
  const stack: [AnyNode, AnyNode | undefined][] = [[node, parent]];
  while (stack.length) {
    const [n, p] = stack.pop()!;
    visit(n, p);
    const cs = children(n);
    for (let i = cs.length - 1; i >= 0; i--) stack.push([cs[i]!, n]);
  }
}

/** The item (top-level declaration) containing `offset`, or the last unclosed one before it. */
export function itemAt(file: A.PolicyFile, offset: number): A.Item | undefined {
  for (const it of file.items) if (it.span.start <= offset && offset <= it.span.end) return it;
  return undefined;
}

export function humanBytes(n: number): string {
  const units: [number, string][] = [[1e12, "TB"], [1e9, "GB"], [1e6, "MB"], [1e3, "KB"]];
  for (const [v, u] of units) if (n >= v && Number.isInteger(n / v)) return `${n / v}${u}`;
  for (const [v, u] of units) if (n >= v) return `${(n / v).toFixed(1)}${u}`;
  return `${n}B`;
}

export function humanSeconds(s: number): string {
  if (s % (7 * 86400) === 0) return `${s / (7 * 86400)}w`;
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

export function mdEscape(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|]/g, (c) => "\\" + c);
}
