import { tokens as T, type DecisionDecl, type Item, type PolicyFile, type TestDecl } from "@sanction/syntax";
import type { Span } from "@sanction/diagnostics";
import type { BlockNode, FileLayout, LayoutNode, LineContext, LineNode } from "./layout.js";
import { firstToken, lastToken } from "./layout.js";
import { FormatterInvariantError, firstTokenAtOrAfter, isType, tokenEnd, type Token } from "./source.js";

/**
 * Per-construct layout rules. Items that are one line in the source grammar (`import`, manual
 * decisions) are one line; braced items put one child per line; test `traffic` records are
 * compact (one line).
 */
export function layoutFile(ast: PolicyFile, tokens: readonly Token[]): FileLayout {
  const b = new Builder(tokens);
  const items = ast.items.map((item) => b.item(item));
  b.checkCovered(items);
  return { items, dropped: b.dropped };
}

class Builder {
  readonly dropped = new Set<number>();

  constructor(private readonly tokens: readonly Token[]) {}

  item(item: Item): LayoutNode {
    switch (item.kind) {
      case "Import":
        return this.line(item.span);
      case "Decision":
        return this.decision(item);
      case "Group":
        return this.block(item.span, item.members.map((m) => this.line(m.span)));
      case "App":
        return this.block(item.span, item.clauses.map((c) => this.line(c.span)));
      case "Score":
        return this.block(item.span, item.entries.map((e) => this.line(e.span)));
      case "Policy":
        return this.block(item.span, item.clauses.map((c) => this.line(c.span, c.kind === "Then" ? "then" : "plain")));
      case "Test":
        return this.block(item.span, this.testBody(item));
    }
  }

  /**
   * `block domain "x.com" until 2027-01-01` stays on one line; a decision with a `note` or with
   * two or more options puts each option on its own line, one level deeper.
   */
  private decision(d: DecisionDecl): LineNode {
    const node = this.line(d.span);
    const split = d.options.length > 1 || d.options.some((o) => o.name.text === "note");
    if (!split) return node;
    return { ...node, breakBefore: new Set(d.options.map((o) => this.range(o.span)[0])) };
  }

  private testBody(test: TestDecl): LayoutNode[] {
    return test.body.map((entry) =>
      entry.kind === "Traffic"
        ? this.block(entry.span, entry.fields.map((f) => this.line(f.span)), true)
        : this.line(entry.span),
    );
  }

  /** Token indices `[first, last]` exactly covering `span`. */
  private range(span: Span): [number, number] {
    const first = firstTokenAtOrAfter(this.tokens, span.start);
    const last = firstTokenAtOrAfter(this.tokens, span.end) - 1;
    const f = this.tokens[first];
    const l = this.tokens[last];
    if (!f || !l || last < first || f.startOffset !== span.start || tokenEnd(l) !== span.end) {
      throw new FormatterInvariantError(`node span ${span.start}-${span.end} does not match token boundaries`);
    }
    return [first, last];
  }

  private line(span: Span, context: LineContext = "plain"): LineNode {
    const [first, last] = this.range(span);
    return { kind: "line", first, last, context };
  }

  private block(span: Span, children: LayoutNode[], compact = false): BlockNode {
    const [first, close] = this.range(span);
    let open = first;
    while (open < close && !isType(this.tokens[open], T.LCurly)) open++;
    if (!isType(this.tokens[open], T.LCurly) || !isType(this.tokens[close], T.RCurly) || open === close) {
      throw new FormatterInvariantError(`block at ${span.start} has no braces`);
    }
    let next = open + 1;
    for (const child of children) {
      this.dropGap(next, firstToken(child));
      next = lastToken(child) + 1;
    }
    this.dropGap(next, close);
    return { kind: "block", head: { kind: "line", first, last: open, context: "plain" }, children, close, compact };
  }

  /** Tokens between two children of a block may only be optional commas, which are not printed. */
  private dropGap(from: number, to: number): void {
    if (to < from) throw new FormatterInvariantError(`children overlap at token ${to}`);
    for (let i = from; i < to; i++) {
      if (!isType(this.tokens[i], T.Comma)) {
        throw new FormatterInvariantError(`token \`${this.tokens[i]!.image}\` at ${this.tokens[i]!.startOffset} belongs to no node`);
      }
      this.dropped.add(i);
    }
  }

  /** Every token must belong to exactly one item. */
  checkCovered(items: readonly LayoutNode[]): void {
    let next = 0;
    for (const item of items) {
      if (firstToken(item) !== next) throw new FormatterInvariantError(`tokens before item at token ${firstToken(item)} belong to no item`);
      next = lastToken(item) + 1;
    }
    if (next !== this.tokens.length) throw new FormatterInvariantError("tokens after the last item belong to no item");
  }
}
