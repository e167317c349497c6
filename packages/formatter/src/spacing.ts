import { decodeString, encodeString, tokens as T } from "@sanction/syntax";
import type { LineContext } from "./layout.js";
import type { Token } from "./source.js";

const NO_SPACE_BEFORE = new Set([T.Comma, T.RParen, T.RBracket, T.Colon, T.DotDot]);
const NO_SPACE_AFTER = new Set([T.LParen, T.LBracket, T.DotDot]);

/**
 * The whitespace between two tokens on one line: a single space, except none before `,` `)`
 * `]` `:` `..`, none after `(` `[` `..`, none between an action and its `(` (`alert(limit: 5)`)
 * and none inside an empty block (`{}`).
 */
export function spaceBetween(prev: Token, next: Token, context: LineContext): string {
  if (NO_SPACE_BEFORE.has(next.tokenType) || NO_SPACE_AFTER.has(prev.tokenType)) return "";
  if (next.tokenType === T.LParen && context === "then") return "";
  if (prev.tokenType === T.LCurly && next.tokenType === T.RCurly) return "";
  return " ";
}

/** Tokens that may move onto the line of a trailing comment before it (`a, # note`). */
export function hugsLeft(t: Token): boolean {
  return t.tokenType === T.Comma || t.tokenType === T.RParen || t.tokenType === T.RBracket || t.tokenType === T.LCurly;
}

/** A token as printed: literals exactly as written, strings re-encoded with the canonical escapes. */
export function tokenText(t: Token): string {
  if (t.tokenType === T.StringLiteral) return encodeString(decodeString(t.image.slice(1, -1)));
  return t.image;
}
