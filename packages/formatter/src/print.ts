import type { CommentMap, PlacedComment } from "./comments.js";
import { firstToken, type BlockNode, type FileLayout, type LayoutNode, type LineNode } from "./layout.js";
import type { Token } from "./source.js";
import { hugsLeft, spaceBetween, tokenText } from "./spacing.js";
import { LineWriter } from "./writer.js";

/**
 * Prints the layout tree. Blank lines: between top-level items there is exactly one blank line
 * when either neighbour is a braced item (group, app, score, policy, test); between one-line
 * items (imports, decisions), between clauses inside a block and between comments, one blank
 * line is kept where the source had at least one, none otherwise. Never a blank line right after
 * `{` or right before `}`.
 */
export function printFile(layout: FileLayout, tokens: readonly Token[], comments: CommentMap): string {
  return new Printer(tokens, comments).file(layout);
}

class Printer {
  private readonly out = new LineWriter();

  constructor(
    private readonly tokens: readonly Token[],
    private readonly comments: CommentMap,
  ) {}

  file(layout: FileLayout): string {
    let prevIsBlock = false;
    layout.items.forEach((item, i) => {
      const isBlock = item.kind === "block";
      const blank = i > 0 && (prevIsBlock || isBlock || this.entryBlank(item));
      this.node(item, 0, blank);
      prevIsBlock = isBlock;
    });
    const end = this.comments.end;
    this.commentLines(end, 0, layout.items.length > 0 && end.length > 0 && (prevIsBlock || end[0]!.blankBefore));
    return this.out.toString();
  }

  /** Is there a blank line before `node` or before its first leading comment in the source? */
  private entryBlank(node: LayoutNode): boolean {
    const first = firstToken(node);
    const lead = this.comments.leading.get(first);
    return lead && lead.length > 0 ? lead[0]!.blankBefore : this.comments.blankBefore[first]!;
  }

  /** Own-line comments; the first one gets a blank line before it when `blankFirst`. */
  private commentLines(list: readonly PlacedComment[], level: number, blankFirst: boolean): void {
    list.forEach((c, i) => {
      if (i === 0 ? blankFirst : c.blankBefore) this.out.blank();
      this.out.line(level, c.text);
    });
  }

  /** A node with its leading comments; `blank` asks for a blank line before the whole entry. */
  private node(node: LayoutNode, level: number, blank: boolean): void {
    const first = firstToken(node);
    const lead = this.comments.leading.get(first) ?? [];
    this.commentLines(lead, level, blank);
    if (lead.length > 0 ? this.comments.blankBefore[first] : blank) this.out.blank();
    if (node.kind === "line") this.tokensOf(node.first, node.last, level, node.context, node.breakBefore);
    else this.block(node, level);
  }

  private block(node: BlockNode, level: number): void {
    if (!this.hasInnerComments(node) && (node.compact || node.children.length === 0)) {
      this.tokensOf(node.head.first, node.close, level, "plain");
      return;
    }
    this.tokensOf(node.head.first, node.head.last, level, node.head.context);
    node.children.forEach((child, i) => this.node(child, level + 1, i > 0 && this.entryBlank(child)));
    const dangling = this.comments.leading.get(node.close) ?? [];
    this.commentLines(dangling, level + 1, node.children.length > 0 && dangling.length > 0 && dangling[0]!.blankBefore);
    this.tokensOf(node.close, node.close, level, "plain");
  }

  /**
   * May the run of `,` `)` `]` `{` starting at `i` move before a trailing comment? Only when no
   * token of the run carries a comment of its own, so the choice is the same on the next run.
   */
  private canHug(i: number, to: number): boolean {
    if (!hugsLeft(this.tokens[i]!)) return false;
    for (let j = i; j <= to && hugsLeft(this.tokens[j]!); j++) {
      if (this.comments.leading.has(j) || this.comments.trailing.has(j)) return false;
    }
    return true;
  }

  /** Does a comment sit between the first token of the block and its `}`? */
  private hasInnerComments(node: BlockNode): boolean {
    for (let i = node.head.first; i <= node.close; i++) {
      if (i > node.head.first && this.comments.leading.has(i)) return true;
      if (i < node.close && this.comments.trailing.has(i)) return true;
    }
    return false;
  }

  /**
   * Tokens `from..to` on one line at `level`. A comment inside the range ends the line, and so
   * does each token in `breakBefore`; the remaining tokens continue on the next line, one level
   * deeper.
   */
  private tokensOf(from: number, to: number, level: number, context: LineNode["context"], breakBefore?: ReadonlySet<number>): void {
    const cont = level + 1;
    this.out.open(level, tokenText(this.tokens[from]!));
    let pending = this.comments.trailing.get(from);
    for (let i = from + 1; i <= to; i++) {
      const tok = this.tokens[i]!;
      const lead = this.comments.leading.get(i);
      if (pending) {
        // `a # note` followed by `,` prints as `a, # note`: the comma hugs its left neighbour.
        if (breakBefore?.has(i) || !this.canHug(i, to)) {
          this.out.append(" " + pending.text);
          this.out.close();
          pending = undefined;
        }
      }
      if (lead) {
        this.out.close();
        for (const c of lead) this.out.line(cont, c.text);
      }
      if (breakBefore?.has(i)) this.out.close();
      if (this.out.isOpen) this.out.append(spaceBetween(this.tokens[i - 1]!, tok, context) + tokenText(tok));
      else this.out.open(cont, tokenText(tok));
      pending ??= this.comments.trailing.get(i);
    }
    if (pending) this.out.append(" " + pending.text);
    this.out.close();
  }
}

