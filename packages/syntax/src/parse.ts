import { Lexer, type IToken, type IRecognitionException } from "#chevrotain";
import { diagnostic, span, type Diagnostic } from "@sanction/diagnostics";
import * as T from "./tokens.js";
import type * as A from "./ast.js";
import { itemParser } from "./parser.js";
import { describeToken } from "./parser-messages.js";
import { invalidEscapes } from "./literals.js";

export interface ParseResult {
  readonly ast: A.PolicyFile;
  readonly diagnostics: Diagnostic[];
  /** Significant tokens (comments excluded), for the formatter and editor features. */
  readonly tokens: readonly IToken[];
}

/** Deeper nesting than this is rejected before parsing, so recursion can never blow the stack. */
export const MAX_NESTING = 64;
/** A file reports at most this many syntax errors; the rest are summarised in one line. */
export const MAX_SYNTAX_ERRORS = 200;

/**
 * The token definitions are fixed at build time: the shared lexer skips chevrotain's
 * definition checks (half its build time at start-up); test/syntax/grammar-validity.test.ts
 * runs them.
 */
export const LEXER_CONFIG = { positionTracking: "onlyOffset", ensureOptimizations: false, skipValidations: true } as const;

let lexer: Lexer | undefined;
function getLexer(): Lexer {
  return (lexer ??= new Lexer(T.allTokens, LEXER_CONFIG));
}

const VERBS = new Set(["sanction", "unsanction", "monitor", "block", "warn", "audit", "allow"]);
const TARGETS = new Set(["app", "domain", "url", "ip"]);

function isName(t: IToken | undefined): boolean {
  return t !== undefined && (t.tokenType === T.Identifier || (t.tokenType.CATEGORIES?.includes(T.Identifier) ?? false));
}

/**
 * Is `tokens[i]` the first token of a top-level item? `strong` starts can only ever begin an
 * item, so they also end an item whose closing brace is missing.
 */
function itemStart(tokens: readonly IToken[], i: number): "strong" | "top" | undefined {
  const t = tokens[i]!;
  const n1 = tokens[i + 1];
  const n2 = tokens[i + 2];
  const prev = tokens[i - 1];
  const type = t.tokenType;
  const isString = (x: IToken | undefined) => x !== undefined && (x.tokenType === T.StringLiteral || x.tokenType === T.UnterminatedString);
  if ((type === T.Keywords.policy || type === T.Keywords.import || type === T.Keywords.test) && isString(n1)) {
    if (type === T.Keywords.test && prev?.tokenType === T.Keywords.expect) return undefined;
    return "strong";
  }
  if (type === T.Keywords.group && isName(n1) && n2?.tokenType === T.LCurly) return "strong";
  if (type === T.Keywords.override && n1?.tokenType === T.Keywords.app) return "strong";
  if (VERBS.has(t.image) && n1 !== undefined && TARGETS.has(n1.image) && n2 !== undefined && prev?.tokenType !== T.Keywords.mode) {
    return "strong";
  }
  if (type === T.Keywords.app && isString(n1) && n2?.tokenType === T.LCurly && prev?.tokenType !== T.Keywords.override) return "top";
  if (type === T.Keywords.score && n1?.tokenType === T.LCurly) return "top";
  return undefined;
}

/** Split significant tokens into per-item runs, plus runs of stray tokens between items. */
function splitItems(tokens: readonly IToken[]): { start: number; end: number; stray: boolean }[] {
  const runs: { start: number; end: number; stray: boolean }[] = [];
  let depth = 0;
  let current: { start: number; end: number; stray: boolean } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const kind = itemStart(tokens, i);
    if (kind === "strong" || (kind === "top" && depth === 0)) {
      if (current) runs.push({ ...current, end: i });
      current = { start: i, end: i, stray: false };
      depth = 0;
    } else if (!current) {
      current = { start: i, end: i, stray: true };
    }
    const type = tokens[i]!.tokenType;
    if (type === T.LCurly) depth++;
    else if (type === T.RCurly) depth = Math.max(0, depth - 1);
  }
  if (current) runs.push({ ...current, end: tokens.length });
  return runs;
}

function nestingTooDeep(tokens: readonly IToken[], start: number, end: number): IToken | undefined {
  let depth = 0;
  let nots = 0;
  for (let i = start; i < end; i++) {
    const type = tokens[i]!.tokenType;
    if (type === T.LParen || type === T.LBracket || type === T.LCurly) depth++;
    else if (type === T.RParen || type === T.RBracket || type === T.RCurly) depth = Math.max(0, depth - 1);
    nots = type === T.Keywords.not ? nots + 1 : 0;
    if (depth > MAX_NESTING || nots > MAX_NESTING) return tokens[i];
  }
  return undefined;
}

/**
 * Parse one policy file. Never throws: every problem becomes a diagnostic and the AST holds
 * whatever could be recognised.
 */
export function parse(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = getLexer().tokenize(text);
  for (const e of lexed.errors) {
    const ch = text.slice(e.offset, e.offset + Math.min(e.length, 20));
    diagnostics.push(diagnostic("SAN101", span(file, e.offset, e.offset + e.length), `unexpected character${e.length > 1 ? "s" : ""} \`${printable(ch)}\``));
  }
  const tokens = lexed.tokens;
  for (const t of tokens) {
    if (t.tokenType === T.UnterminatedString) {
      diagnostics.push(diagnostic("SAN103", span(file, t.startOffset, (t.startOffset + t.image.length)), "unterminated string: add a closing `\"` before the end of the line"));
    }
    if (t.tokenType === T.StringLiteral || t.tokenType === T.UnterminatedString) {
      for (const at of invalidEscapes(t.image.slice(1))) {
        const o = t.startOffset + 1 + at;
        diagnostics.push(diagnostic("SAN104", span(file, o, o + 2), `unknown escape \`${t.image.slice(1 + at, 3 + at)}\`: only \\" \\\\ \\n \\t are allowed`));
      }
    }
  }

  const items: A.Item[] = [];
  const parser = itemParser();
  parser.file = file;
  let syntaxErrors = 0;
  const report = (d: Diagnostic) => {
    syntaxErrors++;
    if (syntaxErrors <= MAX_SYNTAX_ERRORS) diagnostics.push(d);
  };
  for (const run of splitItems(tokens)) {
    const first = tokens[run.start]!;
    const last = tokens[run.end - 1]!;
    if (run.stray) {
      report(
        diagnostic(
          "SAN102",
          span(file, first.startOffset, (first.startOffset + first.image.length)),
          `expected a declaration (import, group, app, override app, score, policy, test, or a decision such as \`block domain\`) but found ${describeToken(first)}`,
        ),
      );
      continue;
    }
    const deep = nestingTooDeep(tokens, run.start, run.end);
    if (deep) {
      diagnostics.push(diagnostic("SAN901", span(file, deep.startOffset, (deep.startOffset + deep.image.length)), `nesting deeper than ${MAX_NESTING} levels`));
      continue;
    }
    parser.input = tokens.slice(run.start, run.end);
    parser.unclosed = [];
    let node: A.Item | undefined;
    try {
      node = parser.item();
    } catch (e) {
      // Recovery is on, so chevrotain should not throw; if it ever does (a recursion limit on
      // hostile input), the item is reported and the rest of the file still parses.
      diagnostics.push(diagnostic("SAN901", span(file, first.startOffset, (last.startOffset + last.image.length)), `declaration too complex to parse (${e instanceof Error ? e.name : "error"})`));
      continue;
    }
    for (const e of parser.errors) report(recognitionDiagnostic(e, file, last));
    for (const open of parser.unclosed) {
      report(diagnostic("SAN102", span(file, open.startOffset, open.startOffset + 1), "this `{` is never closed: add a `}` to end the block"));
    }
    if (node) items.push(node);
  }
  if (syntaxErrors > MAX_SYNTAX_ERRORS) {
    diagnostics.push(diagnostic("SAN902", span(file, text.length, text.length), `${syntaxErrors - MAX_SYNTAX_ERRORS} more syntax errors not shown`));
  }

  const comments: A.Comment[] = (lexed.groups["comments"] ?? []).map((t) => ({
    kind: "Comment",
    text: t.image.slice(1),
    span: span(file, t.startOffset, (t.startOffset + t.image.length)),
  }));
  return { ast: { kind: "File", items, comments, span: span(file, 0, text.length) }, diagnostics, tokens };
}

function recognitionDiagnostic(e: IRecognitionException, file: string, lastOfItem: IToken): Diagnostic {
  const tok = e.token;
  const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  const at = Number.isFinite(tok.startOffset) && tok.tokenType.name !== "EOF" ? tok : prev && Number.isFinite(prev.startOffset) ? prev : lastOfItem;
  const atEnd = at !== tok;
  const start = atEnd ? (at.startOffset + at.image.length) : at.startOffset;
  const end = atEnd ? start : (at.startOffset + at.image.length);
  return diagnostic("SAN102", span(file, start, end), e.message);
}

function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}
