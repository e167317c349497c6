import type { Comment } from "@sanction/syntax";
import { lineBreaks, tokenEnd, type Token } from "./source.js";

/** A comment ready to print: `#` plus its text without trailing whitespace. */
export interface PlacedComment {
  readonly text: string;
  /** The source has a blank line between the previous token or comment and this one. */
  readonly blankBefore: boolean;
}

/**
 * Where every comment goes. Comments are attached to printed tokens, never to tree nodes, so
 * the printer can place them wherever the token lands:
 * - a comment on the same line after a token is `trailing` that token and ends its output line;
 * - a comment on a line of its own is `leading` the next printed token and printed on its own
 *   line(s) before it (a node's first token: before the node at its indentation; a `}`: at the
 *   end of the block, inside it; any other token: on a continuation line);
 * - comments after the last token are `end` comments.
 * Tokens that are not printed (optional commas) pass their comments to their neighbours:
 * a trailing comment moves to the previous printed token unless that would reorder comments
 * or put two comments on one line, in which case it becomes an own-line comment.
 */
export interface CommentMap {
  readonly leading: ReadonlyMap<number, readonly PlacedComment[]>;
  readonly trailing: ReadonlyMap<number, PlacedComment>;
  readonly end: readonly PlacedComment[];
  /** Per token index: a blank line precedes it in the source (after its leading comments). */
  readonly blankBefore: readonly boolean[];
}

export function commentText(c: Pick<Comment, "text">): string {
  return ("#" + c.text).trimEnd();
}

export function attachComments(
  text: string,
  tokens: readonly Token[],
  comments: readonly Comment[],
  dropped: ReadonlySet<number>,
): CommentMap {
  const leading = new Map<number, PlacedComment[]>();
  const trailing = new Map<number, PlacedComment>();
  const blankBefore: boolean[] = new Array<boolean>(tokens.length).fill(false);
  let pending: PlacedComment[] = [];

  let prevEnd: number | undefined; // end of the previous printed token or comment
  let lastAnyTokenEnd: number | undefined; // end of the previous token, printed or not
  let lastPrinted: number | undefined;
  const blank = (start: number) => prevEnd !== undefined && lineBreaks(text, prevEnd, start) >= 2;

  let ti = 0;
  let ci = 0;
  while (ti < tokens.length || ci < comments.length) {
    const tok = tokens[ti];
    const com = comments[ci];
    if (tok && (!com || tok.startOffset < com.span.start)) {
      if (!dropped.has(ti)) {
        blankBefore[ti] = blank(tok.startOffset);
        if (pending.length > 0) leading.set(ti, pending);
        pending = [];
        lastPrinted = ti;
        prevEnd = tokenEnd(tok);
      }
      lastAnyTokenEnd = tokenEnd(tok);
      ti++;
      continue;
    }
    const c = com!;
    const sameLine = lastAnyTokenEnd !== undefined && lineBreaks(text, lastAnyTokenEnd, c.span.start) === 0;
    if (sameLine && lastPrinted !== undefined && pending.length === 0 && !trailing.has(lastPrinted)) {
      trailing.set(lastPrinted, { text: commentText(c), blankBefore: false });
    } else {
      pending.push({ text: commentText(c), blankBefore: blank(c.span.start) });
    }
    prevEnd = c.span.end;
    ci++;
  }
  return { leading, trailing, end: pending, blankBefore };
}
