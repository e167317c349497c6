/*
 * The layout tree: which tokens go on which line. It is built from the AST (one builder per
 * construct, see layout-items.ts) but refers to tokens by index, so the printer emits exactly the
 * tokens the user wrote, in order, and only chooses the whitespace between them.
 */

/** Spacing context of a line: inside `then …`, `(` hugs the action name (`alert(limit: 5)`). */
export type LineContext = "plain" | "then";

/** One logical line: tokens `first..last` (inclusive), e.g. a clause, an import, a decision. */
export interface LineNode {
  readonly kind: "line";
  readonly first: number;
  readonly last: number;
  readonly context: LineContext;
  /** Tokens that start a continuation line (one level deeper), e.g. the options of a decision. */
  readonly breakBefore?: ReadonlySet<number>;
}

/**
 * A braced block: the head line (from the first token through `{`), one child per line, and `}`
 * on its own line. `compact` blocks (test `traffic { … }` records) print on one line when no
 * comment sits inside them; any block without children or comments prints as `head {}`.
 */
export interface BlockNode {
  readonly kind: "block";
  readonly head: LineNode;
  readonly children: readonly LayoutNode[];
  readonly close: number;
  readonly compact: boolean;
}

export type LayoutNode = LineNode | BlockNode;

export interface FileLayout {
  readonly items: readonly LayoutNode[];
  /** Token indices that are not printed: optional commas between clauses or entries. */
  readonly dropped: ReadonlySet<number>;
}

export function firstToken(node: LayoutNode): number {
  return node.kind === "line" ? node.first : node.head.first;
}

export function lastToken(node: LayoutNode): number {
  return node.kind === "line" ? node.last : node.close;
}
