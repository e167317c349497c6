import { tokens as T, type ParseResult } from "@sanction/syntax";

/** A significant token as the lexer produced it (comments are not tokens). */
export type Token = ParseResult["tokens"][number];

export function tokenEnd(t: Token): number {
  return t.startOffset + t.image.length;
}

export function isType(t: Token | undefined, type: (typeof T)["Comma"]): boolean {
  return t !== undefined && t.tokenType === type;
}

/** Number of line breaks (`\n`, `\r\n` or a lone `\r`) in `text[from, to)`. */
export function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** Index of the first token whose start is `>= offset` (binary search; `tokens.length` if none). */
export function firstTokenAtOrAfter(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Thrown when the tree and the token stream disagree; `format` then leaves the file untouched. */
export class FormatterInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormatterInvariantError";
  }
}
